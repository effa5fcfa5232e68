/**
 * The Upstash Redis session store: sessions as Redis hashes behind Upstash's REST API. One
 * HTTP request per load, per commit, per delete and per user's session list; patches apply
 * atomically, field by field, and a per-user index moves with them. The Redis logic is
 * `@fetch-session/redis-core`'s, shared with the TCP store; this package is its transport.
 * @module
 */
import {
  createRedisStore,
  type RedisSessionStore,
  resolveKeyPrefix,
} from '@fetch-session/redis-core';
import { resolveClient, type UpstashStoreOptions } from './options.js';
import { upstashTransport } from './transport.js';

export type { UpstashClient, UpstashClientSettings, UpstashStoreOptions } from './options.js';

/** A {@link SessionStore} on Upstash Redis; `touch` and the per-user index are always available. */
export type UpstashStore = RedisSessionStore;

/**
 * Creates an Upstash Redis store. Options are checked here: a bad one throws
 * `SessionConfigError` naming it.
 *
 * Each session is a hash at the key the core passes. A load is one script call (`HGETALL`);
 * a commit is one script call that checks the write mode, `HSET`s the changed fields,
 * `HDEL`s the deleted ones and sets `PEXPIREAT` from `expiresAt` (epoch ms, Redis keeps
 * wall-clock time). A session bound to a user is also a member of that user's sorted set
 * (`<keyPrefix>user:<user ID>`, scored by `expiresAt`), kept in step by the same write script
 * and by a delete script; `listUserSessions` is one script call. Every failure is a
 * `SessionStoreError` whose message names no key and no data; the client's error, which quotes
 * the whole command, becomes a redacted copy in `cause` (the original is its non-enumerable
 * `original`, for logs you control).
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { upstashStore } from '@fetch-session/upstash';
 * import { Redis } from '@upstash/redis';
 *
 * const sessions = createSessionManager({
 *   store: upstashStore({ redis: Redis.fromEnv() }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 */
export function upstashStore(options: UpstashStoreOptions = {}): UpstashStore {
  const redis = resolveClient(options);
  return createRedisStore({
    name: 'upstash',
    transport: upstashTransport(redis),
    keyPrefix: resolveKeyPrefix(options.keyPrefix),
    layout: 'single-slot',
  });
}
