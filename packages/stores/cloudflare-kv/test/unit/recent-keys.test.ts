import { createTestClock } from '@fetch-session/core/testing';
import { describe, expect, it } from 'vitest';
import { RecentKeys } from '../../src/recent-keys.js';

describe('RecentKeys (tombstones, recent writes)', () => {
  it('remembers a key for ttl ms, then forgets it', () => {
    const clock = createTestClock();
    const keys = new RecentKeys(1_000, 10, clock.now);
    keys.mark('a');
    clock.advance(999);
    expect(keys.has('a')).toBe(true);
    expect(keys.markedAt('a')).toBe(clock.now() - 999);
    clock.advance(1);
    expect(keys.has('a')).toBe(false);
    expect(keys.size).toBe(0);
  });

  it('stays within max, forgetting the oldest first; marking again makes a key newest', () => {
    const clock = createTestClock();
    const keys = new RecentKeys(60_000, 3, clock.now);
    for (const key of ['a', 'b', 'c']) keys.mark(key);
    keys.mark('a');
    keys.mark('d');
    expect(keys.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].filter((key) => keys.has(key))).toEqual(['a', 'c', 'd']);
  });

  it('prunes expired entries as new ones arrive, so memory follows the recent rate', () => {
    const clock = createTestClock();
    const keys = new RecentKeys(1_000, 1_000_000, clock.now);
    for (let i = 0; i < 10_000; i++) {
      keys.mark(`k${i}`);
      clock.advance(10);
    }
    expect(keys.size).toBeLessThanOrEqual(101);
  });

  it('holds nothing when max is 0 (tombstones off)', () => {
    const keys = new RecentKeys(60_000, 0, Date.now);
    keys.mark('a');
    expect(keys.has('a')).toBe(false);
  });
});
