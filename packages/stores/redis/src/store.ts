/**
 * `redisStore`: the Redis session store over TCP: sessions as Redis hashes, through a node-redis v5 or an
 * ioredis client, on a single node or a Redis Cluster. One round trip per load, per commit
 * and per delete; patches apply atomically, field by field; a per-user index for "list my
 * sessions" and "log out everywhere". The Redis logic is `@fetch-session/redis-core`'s, the
 * same as the Upstash store's.
 * @module
 */

import { SessionConfigError } from '@fetch-session/core/errors';
import {
  createRedisStore,
  type RedisSessionStore,
  resolveKeyPrefix,
} from '@fetch-session/redis-core';
import { type RedisClient, resolveClient } from './clients.js';

/** A Redis store; `touch` and the per-user index are always available. */
export type RedisStore = RedisSessionStore;

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * Your connected client: node-redis v5 (`createClient()` / `createCluster()`, after
   * `await client.connect()`) or ioredis (`new Redis()` / `new Cluster()`). A Cluster client
   * selects the Cluster layout (no script touches two slots). The store never connects,
   * configures or closes it. Replies must be strings (no Buffer `typeMapping`); RESP2 and RESP3
   * both work; ioredis' own `keyPrefix` must be unset (use `keyPrefix` here).
   */
  client: RedisClient;
  /**
   * The session manager's `keyPrefix`, repeated here because a store never learns it: the
   * per-user indexes live at `<keyPrefix>user:<user ID, base64url>`, beside the sessions and
   * never colliding with them. Set it whenever you set the manager's. No `{` or `}`: a Cluster
   * hash tag in it would put every session in one slot.
   * @default 'sess:' (the manager's default)
   */
  keyPrefix?: string;
}

/**
 * Creates a Redis store over your client. Options are checked here, and the client on each
 * call (connected, string replies): a bad one is a `SessionConfigError` naming the option.
 *
 * Single node: every operation is one script (`EVALSHA`, falling back to `EVAL` once after
 * `NOSCRIPT`), the session and its user's index changed together. Cluster: each script
 * touches one key; binding a session to a user writes the index entry first, a delete
 * removes it after, and listing drops stale entries, so a live session is always listed (see
 * docs/decisions/0007-redis-store.md). Every failure (a node down, a failover, a dropped
 * connection) is a `SessionStoreError` (the adapters answer 503) whose message names no key
 * and no data; the client's error, redacted, is its `cause`.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { redisStore } from '@fetch-session/redis';
 * import { createClient } from 'redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const sessions = createSessionManager({
 *   store: redisStore({ client }),
 *   secrets: [process.env.SESSION_SECRET],
 * });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'must be an object with a `client`');
  }
  const { transport, layout } = resolveClient(options.client);
  return createRedisStore({
    name: 'redis',
    transport,
    layout,
    keyPrefix: resolveKeyPrefix(options.keyPrefix, { cluster: true }),
  });
}
