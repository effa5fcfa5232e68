import { describe, expect, it } from 'vitest';
import { VerifiedCookieCache } from '../src/verified-cookie-cache.js';

const entry = (id: string) => ({ id, storeKey: `sess:${id}`, secretIndex: 0 });

describe('verified-cookie cache', () => {
  it('is bounded, evicting the least recently used entries first', () => {
    const cache = new VerifiedCookieCache(100);
    cache.set('hot', entry('hot'));
    for (let i = 0; i < 5_000; i++) {
      cache.set(`v${i}`, entry(String(i)));
      if (i % 10 === 0) expect(cache.get('hot'), `after ${i} inserts`).toEqual(entry('hot'));
    }
    expect(cache.size).toBe(100);
    expect(cache.get('v0')).toBeUndefined();
    expect(cache.get('v4999')).toEqual(entry('4999'));
  });

  it('holds nothing with capacity 0, and forgets deleted values', () => {
    const none = new VerifiedCookieCache(0);
    none.set('a', entry('a'));
    expect(none.get('a')).toBeUndefined();
    const cache = new VerifiedCookieCache(10);
    cache.set('a', entry('a'));
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });
});
