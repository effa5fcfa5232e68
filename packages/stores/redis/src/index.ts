/**
 * The Redis session store over TCP: sessions as Redis hashes, through a node-redis v5 or an
 * ioredis client, on a single node or a Redis Cluster. The Redis logic is
 * `@fetch-session/redis-core`'s, the same as the Upstash store's.
 * @module
 */
export type { BunRedisClient, IORedisClient, NodeRedisClient, RedisClient } from './clients.js';
export {
  type RedisStoreEnv,
  type RedisStoreFromEnv,
  redisStoreFromEnv,
} from './from-env.js';
export { type RedisStore, type RedisStoreOptions, redisStore } from './store.js';
