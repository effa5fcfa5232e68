/**
 * Load: LOAD_CLIENTS concurrent clients (200), each with its own session and connection, for
 * LOAD_SECONDS (10) against the demo's built Node entry on the Upstash store (through the
 * Upstash REST test server, in its own process) on a real redis-server. Zero errors, and every
 * client's stored count equals its successful requests: nothing lost, nothing mixed up.
 */
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
} from '../packages/stores/upstash/test/support/redis-server.js';
import { runDemoLoad } from './support/demo-load.js';
import { type DemoServer, startDemo } from './support/demo-server.js';
import { LOAD_CLIENTS, LOAD_SECONDS } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import { type RestServerProcess, startRestServerProcess } from './support/rest-server-process.js';
import type { Visitor } from './support/visitors.js';

let redis: RedisServer | undefined;
let rest: RestServerProcess | undefined;
let inspector: IORedis | undefined;
let demo: DemoServer | undefined;
let visitors: Visitor[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  rest = await startRestServerProcess({ redisPort: redis.port });
  inspector = new IORedis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
  await inspector.connect();
  demo = await startDemo({
    UPSTASH_REDIS_REST_URL: rest.url,
    UPSTASH_REDIS_REST_TOKEN: rest.token,
  });
  expect(demo.output()).toContain('sessions in Upstash Redis');
});

afterAll(async () => {
  for (const visitor of visitors) visitor.http.close();
  await demo?.stop();
  inspector?.disconnect();
  await rest?.stop();
  await redis?.stop();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

it(`${LOAD_CLIENTS} clients with their own sessions for ${LOAD_SECONDS} s: zero errors, nothing lost`, async () => {
  const redisClient = inspector as IORedis;
  await runDemoLoad(
    demo as DemoServer,
    { hget: (key, field) => redisClient.hget(key, field), records: () => redisClient.dbsize() },
    (started) => {
      visitors = started;
    },
  );
});
