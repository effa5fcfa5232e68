/**
 * Load: LOAD_CLIENTS concurrent clients (200), each with its own session and connection, for
 * LOAD_SECONDS (10) against the demo's built Node entry on the Upstash store (through the
 * Upstash REST test server, in its own process) on a real redis-server. Zero errors, and every
 * client's stored count equals its successful requests: nothing lost, nothing mixed up.
 */
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeKeyOf } from '../packages/stores/upstash/test/support/keys.js';
import {
  type RedisServer,
  startRedisServer,
} from '../packages/stores/upstash/test/support/redis-server.js';
import { type DemoServer, startDemo } from './support/demo-server.js';
import { LOAD_CLIENTS, LOAD_SECONDS } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import { type RestServerProcess, startRestServerProcess } from './support/rest-server-process.js';
import {
  checkIdentity,
  createVisitor,
  eachLimited,
  enrol,
  runVisitors,
  Tally,
  type Visitor,
} from './support/visitors.js';

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
  const server = demo as DemoServer;
  const redisClient = inspector as IORedis;
  visitors = Array.from({ length: LOAD_CLIENTS }, (_, i) => createVisitor(server.origin, i));
  // All at once, while the demo is idle: each visitor's connection is opened here and kept.
  await eachLimited(visitors, visitors.length, enrol);

  const tally = new Tally();
  const started = Date.now();
  const end = started + LOAD_SECONDS * 1_000;
  await runVisitors(visitors, tally, () => Date.now() >= end, 100);
  const elapsed = (Date.now() - started) / 1_000;

  // Every session, read back through the app and straight from Redis.
  const final = new Tally();
  const readBack: (number | undefined)[] = [];
  await eachLimited(visitors, visitors.length, async (visitor, i) => {
    readBack[i] = await checkIdentity(visitor, final);
  });
  const stored = await Promise.all(
    visitors.map((v) =>
      redisClient.hget(storeKeyOf(`sid=${v.http.jar.get('__Host-sid')}`), 'd:visits'),
    ),
  );
  const records = await redisClient.dbsize();

  const successes = visitors.map((v) => v.successes);
  const requests = tally.seen.length;
  console.log(
    `[load] ${LOAD_CLIENTS} clients, ${elapsed.toFixed(1)} s: ${requests} requests ` +
      `(${Math.round(requests / elapsed)}/s; ${tally.count((s) => s.route === 'counter')} counter visits, ` +
      `${tally.count((s) => s.route === 'debug')} identity checks), ` +
      `${tally.count((s) => s.status !== 200)} non-200, ${tally.problemCount} problems; latency ` +
      `p50 ${tally.percentile(50)} ms, p99 ${tally.percentile(99)} ms, max ${tally.percentile(100)} ms; ` +
      `visits per client ${Math.min(...successes)}..${Math.max(...successes)}; ${records} records in Redis`,
  );
  expect([...tally.problems, ...final.problems]).toEqual([]);
  expect(tally.problemCount + final.problemCount).toBe(0);
  expect(tally.count((s) => s.status !== 200)).toBe(0);
  expect(readBack).toEqual(successes);
  expect(stored).toEqual(successes.map(String));
  expect(records, 'one record per client, no other').toBe(LOAD_CLIENTS);
  expect(Math.min(...successes)).toBeGreaterThan(0);
  expect(server.running()).toBe(true);
});
