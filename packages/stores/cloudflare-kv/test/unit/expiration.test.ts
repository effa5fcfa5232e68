import { describe, expect, it } from 'vitest';
import { expirationOptions, MIN_TTL_SECONDS } from '../../src/expiration.js';

const now = Date.UTC(2026, 0, 1, 12, 0, 0, 250);

describe('expirationOptions', () => {
  it("clamps lifetimes under KV's 60 s floor to a 60 s time to live", () => {
    for (const ms of [-5_000, 0, 1, 1_000, 59_999]) {
      expect(expirationOptions(now + ms, now)).toEqual({ expirationTtl: MIN_TTL_SECONDS });
    }
  });

  it('uses a relative TTL just past the floor, so clock skew cannot make KV refuse it', () => {
    expect(expirationOptions(now + 65_500, now)).toEqual({ expirationTtl: 66 });
  });

  it('uses the exact absolute expiration, rounded up to the second, further out', () => {
    expect(expirationOptions(now + 3_600_000, now)).toEqual({
      expiration: Math.ceil((now + 3_600_000) / 1000),
    });
    expect(expirationOptions(now + 70_000, now)).toEqual({
      expiration: Math.ceil((now + 70_000) / 1000),
    });
  });

  it('sets no expiry for an infinite lifetime and refuses NaN and -Infinity', () => {
    expect(expirationOptions(Number.POSITIVE_INFINITY, now)).toBeUndefined();
    expect(() => expirationOptions(Number.NaN, now)).toThrow(RangeError);
    expect(() => expirationOptions(Number.NEGATIVE_INFINITY, now)).toThrow(RangeError);
  });
});
