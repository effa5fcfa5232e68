import { checkExpiresAt, epochSeconds, secondsUntil } from '@fetch-session/core/store-kit';
import type { KvPutOptions } from './kv-namespace.js';

/** The shortest time to live KV accepts, in seconds, as per Cloudflare's documentation. */
export const MIN_TTL_SECONDS = 60;

/**
 * How far past KV's floor an absolute expiration must be before it is used, in seconds, so that
 * a small difference between this isolate's clock and KV's cannot turn it into a refused write.
 */
const CLOCK_MARGIN_SECONDS = 10;

/**
 * KV put options that keep a record at least until `expiresAt` (epoch ms). The arithmetic is
 * the store kit's; what is KV's own is the 60-second floor.
 *
 * Far enough ahead, the absolute `expiration` is exactly `expiresAt` rounded up to a second.
 * Near KV's 60-second floor, a relative `expirationTtl` (never below 60) is used instead: it is
 * counted on KV's own clock, so it cannot be refused as "less than 60 seconds in the future".
 * Records are never dropped early; a short idle timeout is enforced by the core from the
 * timestamps in the record, and by `load` from the stored `expiresAt`.
 */
export function expirationOptions(expiresAt: number, now: number): KvPutOptions | undefined {
  checkExpiresAt(expiresAt);
  if (expiresAt === Number.POSITIVE_INFINITY) return undefined;
  const expiration = epochSeconds(expiresAt);
  if (expiration >= Math.floor(now / 1000) + MIN_TTL_SECONDS + CLOCK_MARGIN_SECONDS) {
    return { expiration };
  }
  return { expirationTtl: secondsUntil(expiresAt, now, MIN_TTL_SECONDS) };
}
