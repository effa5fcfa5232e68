import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VERIFIED_COOKIE_CACHE_SIZE,
  VerifiedCookieCache,
} from '../src/verified-cookie-cache.js';

const entry = (id: string) => ({ id, storeKey: `sess:${id}`, secretIndex: 0 });

describe('verified-cookie cache', () => {
  it('is bounded, evicting the least recently used entries first', () => {
    const cache = new VerifiedCookieCache(100);
    cache.set('hot', entry('hot'));
    for (let i = 0; i < 5_000; i++) {
      cache.set(`v${i}`, entry(String(i)));
      expect(cache.size).toBeLessThanOrEqual(100);
      if (i % 10 === 0) expect(cache.get('hot'), `after ${i} inserts`).toEqual(entry('hot'));
    }
    expect(cache.get('v0')).toBeUndefined();
    expect(cache.get('v4999')).toEqual(entry('4999'));
  });

  it('keeps every value used within the last half-capacity insertions, and holds at least half', () => {
    const capacity = 64;
    const cache = new VerifiedCookieCache(capacity);
    for (let i = 0; i < 1_000; i++) {
      cache.set(`v${i}`, entry(String(i)));
      for (let back = 0; back < capacity / 2 && back <= i; back++)
        expect(cache.get(`v${i - back}`), `v${i - back} after v${i}`).toBeDefined();
      if (i >= capacity) expect(cache.size).toBeGreaterThanOrEqual(capacity / 2);
    }
  });

  it('keeps the bound for odd and tiny capacities', () => {
    for (const capacity of [1, 2, 3, 7]) {
      const cache = new VerifiedCookieCache(capacity);
      for (let i = 0; i < 50; i++) {
        cache.set(`v${i}`, entry(String(i)));
        cache.get(`v${i - 1}`);
        expect(cache.size, `capacity ${capacity}`).toBeLessThanOrEqual(capacity);
      }
      expect(cache.get('v49'), `capacity ${capacity}`).toEqual(entry('49'));
    }
  });

  it('re-setting a value replaces it without counting twice', () => {
    const cache = new VerifiedCookieCache(10);
    for (let i = 0; i < 8; i++) cache.set(`v${i}`, entry(String(i))); // v0-v4 now old
    cache.set('v1', entry('replaced'));
    cache.set('v6', entry('replaced too'));
    expect(cache.get('v1')).toEqual(entry('replaced'));
    expect(cache.get('v6')).toEqual(entry('replaced too'));
    expect(cache.size).toBe(8);
  });

  it('holds nothing with capacity 0, and forgets deleted values in either generation', () => {
    const none = new VerifiedCookieCache(0);
    none.set('a', entry('a'));
    expect(none.get('a')).toBeUndefined();
    const cache = new VerifiedCookieCache(4);
    for (const value of ['a', 'b', 'c']) cache.set(value, entry(value)); // a, b old; c young
    cache.delete('a');
    cache.delete('c');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('b')).toEqual(entry('b'));
    expect(cache.size).toBe(1);
  });

  it('defaults to 10,000 values when constructed without a size', () => {
    const cache = new VerifiedCookieCache();
    for (let i = 0; i < 30_000; i++) cache.set(`v${i}`, entry(String(i)));
    expect(DEFAULT_VERIFIED_COOKIE_CACHE_SIZE).toBe(10_000);
    expect(cache.size).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBeGreaterThanOrEqual(5_000);
  });
});
