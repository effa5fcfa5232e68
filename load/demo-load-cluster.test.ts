/**
 * The demo load run on a real Redis Cluster (3 masters + 3 replicas on loopback, the Redis
 * store package's launcher) through `@fetch-session/redis`: the demo picks it from
 * `REDIS_CLUSTER_NODES` (`redisStoreFromEnv`). Zero errors, every client's stored count equals
 * its successes.
 */
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type RedisCluster,
  startRedisCluster,
} from '../packages/stores/redis/test/support/redis-cluster.js';
import { runDemoLoad } from './support/demo-load.js';
import { type DemoServer, startDemo } from './support/demo-server.js';
import { LOAD_CLIENTS, LOAD_SECONDS } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import type { Visitor } from './support/visitors.js';

let cluster: RedisCluster | undefined;
let inspector: Cluster | undefined;
let demo: DemoServer | undefined;
let visitors: Visitor[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  inspector = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
  await new Promise((resolve) => inspector?.once('ready', resolve));
  demo = await startDemo({ REDIS_CLUSTER_NODES: cluster.addresses.join(',') });
  expect(demo.output()).toContain('sessions in Redis Cluster');
}, 120_000);

afterAll(async () => {
  for (const visitor of visitors) visitor.http.close();
  await demo?.stop();
  inspector?.disconnect();
  await cluster?.stop();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

it(`Redis Cluster: ${LOAD_CLIENTS} clients with their own sessions for ${LOAD_SECONDS} s: zero errors, nothing lost`, async () => {
  const client = inspector as Cluster;
  await runDemoLoad(
    demo as DemoServer,
    {
      hget: (key, field) => client.hget(key, field),
      records: async () => {
        const sizes = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
        return sizes.reduce((sum, size) => sum + size, 0);
      },
    },
    (started) => {
      visitors = started;
    },
    ' cluster',
  );
});
