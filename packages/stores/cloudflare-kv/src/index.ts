/**
 * A Cloudflare Workers KV session store for `@fetch-session/core`: one JSON value per session,
 * TTLs clamped to KV's 60-second floor, at most one write per key per second from an isolate
 * (concurrent patches are merged), 429s retried, a per-isolate memory of destroyed sessions,
 * and a per-user index (KV keys listed by prefix) for `listSessions` and `revokeAllSessions`.
 * KV is eventually consistent: read the README's consistency section.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { cloudflareKvStore } from '@fetch-session/cloudflare-kv';
 *
 * const sessions = createSessionManager({
 *   store: cloudflareKvStore({ namespace: env.SESSIONS }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 * @module
 */
export { MIN_TTL_SECONDS } from './expiration.js';
export { MAX_KEY_BYTES } from './key.js';
export type {
  KvListOptions,
  KvListResult,
  KvNamespaceLike,
  KvPutOptions,
} from './kv-namespace.js';
export { cloudflareKvStore } from './kv-store.js';
export { type CloudflareKvStoreOptions, MIN_CACHE_TTL_SECONDS } from './options.js';
