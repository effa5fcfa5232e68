// The core's expiry rules: the one place that says when a session has ended.
import { describe, expect, it } from 'vitest';
import { cookieMaxAge, expiredBy, sessionExpiresAt } from '../src/expiry-rules.js';

const timeouts = { idleTimeoutMs: 10_000, absoluteTimeoutMs: 100_000 };
const meta = (createdAt: number, lastSeenAt: number, permanent = true) => ({
  createdAt,
  lastSeenAt,
  permanent,
});

describe('expiry rules (S17)', () => {
  it('S17: idle ends at lastSeenAt + idle, absolute at createdAt + absolute, boundaries included', () => {
    expect(expiredBy(meta(0, 50_000), 59_999, timeouts)).toBeUndefined();
    expect(expiredBy(meta(0, 50_000), 60_000, timeouts)).toBe('idle');
    expect(expiredBy(meta(0, 95_000), 99_999, timeouts)).toBeUndefined();
    expect(expiredBy(meta(0, 95_000), 100_000, timeouts)).toBe('absolute');
  });

  it('a write expires at the earlier of the two deadlines', () => {
    expect(sessionExpiresAt(meta(0, 50_000), timeouts)).toBe(60_000);
    expect(sessionExpiresAt(meta(0, 95_000), timeouts)).toBe(100_000);
  });

  it('S8: a permanent cookie never outlives the session (rounded down), others have no Max-Age', () => {
    expect(cookieMaxAge(meta(0, 50_000), 50_001, timeouts)).toBe(9);
    expect(cookieMaxAge(meta(0, 95_000), 99_500, timeouts)).toBe(0);
    expect(cookieMaxAge(meta(0, 50_000), 70_000, timeouts)).toBe(0);
    expect(cookieMaxAge(meta(0, 50_000, false), 50_001, timeouts)).toBeUndefined();
  });
});
