import { secondsUntil } from '@fetch-session/core/store-kit';

/** memcached reads an expiration above 30 days as an absolute Unix time. */
const RELATIVE_LIMIT_SECONDS = 30 * 24 * 60 * 60;

/**
 * The memcached expiration for a record the core keeps until `expiresAt`: relative seconds,
 * or an absolute Unix time past 30 days, 0 for "never". One second of margin, since memcached's
 * clock ticks once a second; the store refuses a record past its stored `expiresAt` anyway.
 * `now` is the store's clock; `realNow` the wall clock memcached itself runs on.
 */
export function memcachedExpiration(expiresAt: number, now: number, realNow: number): number {
  if (expiresAt === Number.POSITIVE_INFINITY) return 0;
  const seconds = secondsUntil(expiresAt, now) + 1;
  if (seconds <= RELATIVE_LIMIT_SECONDS) return seconds;
  return Math.ceil(realNow / 1000) + seconds;
}
