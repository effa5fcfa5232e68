/**
 * The demo load run, shared by the Upstash and the Redis Cluster files: LOAD_CLIENTS clients
 * with their own sessions for LOAD_SECONDS against a running demo; zero errors, and every
 * client's stored count equals its successful requests. `inspect` reads Redis directly.
 */
import { expect } from 'vitest';
import { storeKeyOf } from '../../packages/stores/upstash/test/support/keys.js';
import type { DemoServer } from './demo-server.js';
import { LOAD_CLIENTS, LOAD_SECONDS } from './knobs.js';
import {
  checkIdentity,
  createVisitor,
  eachLimited,
  enrol,
  runVisitors,
  Tally,
  type Visitor,
} from './visitors.js';

export interface RedisInspector {
  hget(key: string, field: string): Promise<string | null>;
  /** How many keys Redis holds (all masters of a Cluster). */
  records(): Promise<number>;
}

export async function runDemoLoad(
  server: DemoServer,
  inspect: RedisInspector,
  track: (visitors: Visitor[]) => void,
  label = '',
): Promise<void> {
  const visitors = Array.from({ length: LOAD_CLIENTS }, (_, i) => createVisitor(server.origin, i));
  track(visitors);
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
      inspect.hget(storeKeyOf(`sid=${v.http.jar.get('__Host-sid')}`), 'd:visits'),
    ),
  );
  const records = await inspect.records();

  const successes = visitors.map((v) => v.successes);
  const requests = tally.seen.length;
  console.log(
    `[load${label}] ${LOAD_CLIENTS} clients, ${elapsed.toFixed(1)} s: ${requests} requests ` +
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
}
