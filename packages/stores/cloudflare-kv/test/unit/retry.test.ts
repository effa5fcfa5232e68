import { describe, expect, it } from 'vitest';
import { isRateLimited, retryRateLimited } from '../../src/retry.js';

const policy = (maxRetries: number, delays: number[]) => ({
  maxRetries,
  baseDelay: 1_000,
  random: () => 0,
  sleep: async (ms: number) => {
    delays.push(ms);
  },
});
const failing = (errors: Error[]) => async () => {
  const error = errors.shift();
  if (error) throw error;
  return 'done';
};
const rateLimited = () => new Error('KV PUT failed: 429 Too Many Requests');

describe('429 retries', () => {
  it('recognises the binding’s rate-limit errors only', () => {
    expect(isRateLimited(rateLimited())).toBe(true);
    expect(isRateLimited(new Error('KV DELETE failed: 429 Too Many Requests'))).toBe(true);
    expect(isRateLimited(new Error('Too many requests'))).toBe(true);
    expect(isRateLimited(new Error('KV PUT failed: 500 Internal Server Error'))).toBe(false);
    expect(isRateLimited(new Error('KV GET failed: 4290 bytes'))).toBe(false);
  });

  it('retries with doubling waits, then succeeds', async () => {
    const delays: number[] = [];
    const result = await retryRateLimited(
      failing([rateLimited(), rateLimited()]),
      policy(2, delays),
    );
    expect(result).toBe('done');
    expect(delays).toEqual([1_000, 2_000]);
  });

  it('throws the last 429 once the retries are spent', async () => {
    const delays: number[] = [];
    const error = rateLimited();
    await expect(
      retryRateLimited(failing([rateLimited(), rateLimited(), error]), policy(2, delays)),
    ).rejects.toBe(error);
    expect(delays).toHaveLength(2);
  });

  it('throws other errors at once', async () => {
    const delays: number[] = [];
    const error = new Error('KV PUT failed: 500');
    await expect(retryRateLimited(failing([error]), policy(2, delays))).rejects.toBe(error);
    expect(delays).toEqual([]);
  });

  it('adds at most 10% jitter', async () => {
    const delays: number[] = [];
    await retryRateLimited(failing([rateLimited()]), { ...policy(1, delays), random: () => 0.999 });
    expect(delays[0]).toBeGreaterThan(1_000);
    expect(delays[0]).toBeLessThan(1_100);
  });
});
