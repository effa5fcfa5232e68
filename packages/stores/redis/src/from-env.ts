/**
 * A store from environment variables, for apps (the demo) that pick their store at start-up.
 * @module
 */
import { SessionConfigError } from '@fetch-session/core/errors';
import { type RedisStore, redisStore } from './store.js';

/** The variables {@link redisStoreFromEnv} reads. */
export interface RedisStoreEnv {
  /** A single node: `redis://host:port` (or `rediss://`, with user and password if needed). */
  readonly REDIS_URL?: string | undefined;
  /** A Cluster: some of its nodes, `host:port,host:port,…`; wins over `REDIS_URL`. */
  readonly REDIS_CLUSTER_NODES?: string | undefined;
}

/** A store and the client it runs on, which {@link RedisStoreFromEnv.close} closes. */
export interface RedisStoreFromEnv {
  readonly store: RedisStore;
  readonly cluster: boolean;
  close(): Promise<void>;
}

/**
 * Connects a node-redis client (the `redis` package, which must be installed) from
 * `REDIS_CLUSTER_NODES` or `REDIS_URL` and returns a store over it; `undefined` when neither
 * is set. The client's `error` events go to `onError` (node-redis exits the process on an
 * unheard one); failed calls still fail with a `SessionStoreError`.
 *
 * @example
 * ```ts
 * const redis = await redisStoreFromEnv(process.env);
 * const store = redis?.store ?? memoryStore();
 * ```
 */
export async function redisStoreFromEnv(
  env: RedisStoreEnv,
  options: { readonly keyPrefix?: string; readonly onError?: (error: unknown) => void } = {},
): Promise<RedisStoreFromEnv | undefined> {
  const nodes = env.REDIS_CLUSTER_NODES?.trim();
  const url = env.REDIS_URL?.trim();
  if (!nodes && !url) return undefined;
  const { createClient, createCluster } = await import('redis');
  const onError = options.onError ?? (() => {});
  const keyPrefix = options.keyPrefix !== undefined ? { keyPrefix: options.keyPrefix } : {};
  if (nodes) {
    const rootNodes = nodes.split(',').map((node) => {
      if (!/^[^\s:,]+:\d+$/.test(node.trim())) {
        throw new SessionConfigError('REDIS_CLUSTER_NODES', 'must be host:port,host:port,…');
      }
      return { url: `redis://${node.trim()}` };
    });
    const client = createCluster({ rootNodes });
    client.on('error', onError);
    await client.connect();
    return {
      store: redisStore({ client, ...keyPrefix }),
      cluster: true,
      close: async () => void (await client.close()),
    };
  }
  const client = createClient({ url: url as string });
  client.on('error', onError);
  await client.connect();
  return {
    store: redisStore({ client, ...keyPrefix }),
    cluster: false,
    close: async () => void (await client.close()),
  };
}
