/**
 * Expiry arithmetic for stores. The core hands every write an absolute `expiresAt` (epoch ms,
 * or `Infinity` for "never"); a store converts it once, with these, into what its backend
 * takes. The store's expiry only collects garbage: the core decides expiry from the record's
 * timestamps (S17).
 * @module
 */

/**
 * Throws a `RangeError` unless `expiresAt` is a time in epoch ms or `Infinity`, so a bad
 * value from a custom caller never becomes a record that lives forever or dies at once.
 */
export function checkExpiresAt(expiresAt: unknown): asserts expiresAt is number {
  if (
    typeof expiresAt !== 'number' ||
    Number.isNaN(expiresAt) ||
    expiresAt === Number.NEGATIVE_INFINITY
  ) {
    throw new RangeError('expiresAt must be a time in epoch ms');
  }
}

/** Whether a record with this `expiresAt` is gone at `now` (both epoch ms). */
export function isExpired(expiresAt: number, now: number): boolean {
  return expiresAt <= now;
}

/**
 * Milliseconds from `now` until `expiresAt`, at least `min` (default 1, so a backend TTL is
 * never 0 or negative, which some backends read as "no expiry"); `Infinity` stays `Infinity`.
 *
 * @example
 * ```ts
 * const ms = millisecondsUntil(expiresAt, Date.now()); // PEXPIRE, a DO alarm, a TTL column
 * ```
 */
export function millisecondsUntil(expiresAt: number, now: number, min = 1): number {
  checkExpiresAt(expiresAt);
  if (expiresAt === Number.POSITIVE_INFINITY) return expiresAt;
  return Math.max(min, Math.ceil(expiresAt - now));
}

/**
 * Whole seconds from `now` until `expiresAt`, rounded up, at least `min` (default 1): for
 * backends with second-granularity TTLs (Memcached, KV's `expirationTtl` with `min: 60`).
 * `Infinity` stays `Infinity`.
 */
export function secondsUntil(expiresAt: number, now: number, min = 1): number {
  checkExpiresAt(expiresAt);
  if (expiresAt === Number.POSITIVE_INFINITY) return expiresAt;
  return Math.max(min, Math.ceil((expiresAt - now) / 1000));
}

/** `expiresAt` as whole epoch seconds, rounded up (never earlier than asked); `Infinity` stays. */
export function epochSeconds(expiresAt: number): number {
  checkExpiresAt(expiresAt);
  if (expiresAt === Number.POSITIVE_INFINITY) return expiresAt;
  return Math.ceil(expiresAt / 1000);
}
