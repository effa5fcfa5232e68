import type { SessionMeta } from './store.js';
import { isExpired } from './store-kit/expiry.js';

/** The two limits of a session's life, in milliseconds. */
export interface SessionTimeouts {
  /** Since the last refresh (`lastSeenAt`). */
  readonly idleTimeoutMs: number;
  /** Since creation (`createdAt`): never extended, not even by regenerate (S16). */
  readonly absoluteTimeoutMs: number;
}

/**
 * Which limit a session has passed at `now`, if any. The core decides expiry from the record's
 * timestamps (S17); a store's own expiry only collects garbage.
 */
export function expiredBy(
  meta: SessionMeta,
  now: number,
  timeouts: SessionTimeouts,
): 'idle' | 'absolute' | undefined {
  if (isExpired(meta.createdAt + timeouts.absoluteTimeoutMs, now)) return 'absolute';
  if (isExpired(meta.lastSeenAt + timeouts.idleTimeoutMs, now)) return 'idle';
  return undefined;
}

/** When the session ends if nothing refreshes it (epoch ms): the `expiresAt` of every write. */
export function sessionExpiresAt(meta: SessionMeta, timeouts: SessionTimeouts): number {
  return Math.min(
    meta.lastSeenAt + timeouts.idleTimeoutMs,
    meta.createdAt + timeouts.absoluteTimeoutMs,
  );
}

/**
 * The cookie's `Max-Age` in whole seconds for a permanent session, rounded down so the cookie
 * never outlives the server-side session (S8); `undefined` (a browser-session cookie) otherwise.
 */
export function cookieMaxAge(
  meta: SessionMeta,
  now: number,
  timeouts: SessionTimeouts,
): number | undefined {
  if (!meta.permanent) return undefined;
  return Math.max(0, Math.floor((sessionExpiresAt(meta, timeouts) - now) / 1000));
}
