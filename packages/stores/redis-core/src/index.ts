/**
 * The Redis session-store logic shared by `@fetch-session/redis` (TCP: node-redis, ioredis,
 * single node and Cluster) and `@fetch-session/upstash` (REST): the Lua scripts, the record
 * layout, the per-user index and the `NOSCRIPT` fallback, over a small transport interface.
 * Internal: use one of those two packages.
 * @module
 */
export { resolveKeyPrefix } from './options.js';
export { UnexpectedReplyError, userIndexKey } from './record.js';
export * as scripts from './script-sources.js';
export {
  createRedisStore,
  type RedisLayout,
  type RedisSessionStore,
  type RedisStoreSettings,
} from './store.js';
export { type RedisScript, type RedisTransport, redisScript, runScript } from './transport.js';
