/**
 * Real clients for the tests, one per kind the store supports, with failure settings that
 * fail fast (no long retry loops in tests) and close with the test file.
 */
import { Cluster, Redis as IORedis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { RedisClient } from '../../src/index.js';

export type ClientKind = 'node-redis' | 'ioredis';
export type Topology = 'single' | 'cluster';

export interface TestClient {
  readonly client: RedisClient;
  close(): Promise<void>;
}

/** A connected client of `kind` on the single node (`ports[0]`) or the Cluster (`ports`). */
export async function connectClient(
  kind: ClientKind,
  topology: Topology,
  ports: readonly number[],
): Promise<TestClient> {
  const first = ports[0] as number;
  if (kind === 'node-redis') {
    if (topology === 'single') {
      const client = createClient({
        socket: { host: '127.0.0.1', port: first, reconnectStrategy: () => 50 },
        disableOfflineQueue: true,
      });
      client.on('error', () => {});
      await client.connect();
      return { client, close: () => closeQuietly(() => client.close()) };
    }
    const client = createCluster({
      rootNodes: ports.map((port) => ({ socket: { host: '127.0.0.1', port } })),
      defaults: { socket: { reconnectStrategy: () => 50 }, disableOfflineQueue: true },
    });
    client.on('error', () => {});
    await client.connect();
    return { client, close: () => closeQuietly(() => client.close()) };
  }
  if (topology === 'single') {
    const client = new IORedis({
      host: '127.0.0.1',
      port: first,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 50,
    });
    client.on('error', () => {});
    await new Promise((resolve) => client.once('ready', resolve));
    return { client, close: async () => client.disconnect() };
  }
  const client = new Cluster(
    ports.map((port) => ({ host: '127.0.0.1', port })),
    {
      redisOptions: { maxRetriesPerRequest: 1 },
      clusterRetryStrategy: () => 50,
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      retryDelayOnTryAgain: 50,
    },
  );
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  return { client, close: async () => client.disconnect() };
}

async function closeQuietly(close: () => Promise<unknown>): Promise<void> {
  try {
    await close();
  } catch {
    // already closed
  }
}

/** Every client kind on every topology. */
export const VARIANTS: readonly { kind: ClientKind; topology: Topology }[] = [
  { kind: 'node-redis', topology: 'single' },
  { kind: 'ioredis', topology: 'single' },
  { kind: 'node-redis', topology: 'cluster' },
  { kind: 'ioredis', topology: 'cluster' },
];
