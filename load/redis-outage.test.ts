/**
 * Faults: redis-server stopped (SIGTERM) under load and restarted on the same port with its data
 * (append-only file, fsync always), behind the Upstash REST test server, in front of the demo's
 * built Node entry. S29: during the outage requests get the adapter's 503, never another user's
 * session and never an empty session written over the real one; afterwards the same sessions
 * carry on and every client's stored count is exactly what it was told.
 *
 * A request cut off by the stop can have been applied by Redis before the reply was lost: the
 * client saw a 503, yet its count went up. That is inherent to any store call that fails after
 * sending; the visitors account for it (`ambiguous`, at most one per client, and only right
 * after a 503), so the equality below is still exact.
 */
import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeKeyOf } from '../packages/stores/upstash/test/support/keys.js';
import {
  type RedisServer,
  startRedisServer,
} from '../packages/stores/upstash/test/support/redis-server.js';
import { type DemoServer, startDemo } from './support/demo-server.js';
import { LOAD_CLIENTS, OUTAGE_PHASES } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import { sleep } from './support/processes.js';
import { type RestServerProcess, startRestServerProcess } from './support/rest-server-process.js';
import {
  checkIdentity,
  createVisitor,
  eachLimited,
  enrol,
  runVisitors,
  type Seen,
  Tally,
  type Visitor,
} from './support/visitors.js';

// Redis answering PING again is not the end of the outage for clients: the REST server's
// client reconnects every 50 ms, and if it connected while Redis was still loading its
// append-only file it waits a second before checking again (ioredis's ready check). The test
// asserts that service resumes and that every request sent after the first success succeeds,
// not how soon (a wall-clock bound flakes on a busy machine: issue 11.3).

let redis: RedisServer | undefined;
let rest: RestServerProcess | undefined;
let inspector: IORedis | undefined;
let demo: DemoServer | undefined;
let visitors: Visitor[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  rest = await startRestServerProcess({ redisPort: redis.port, commandTimeout: 1_000 });
  inspector = new IORedis({ host: '127.0.0.1', port: redis.port, lazyConnect: true });
  inspector.on('error', () => {}); // it reconnects by itself after the outage
  await inspector.connect();
  demo = await startDemo({
    UPSTASH_REDIS_REST_URL: rest.url,
    UPSTASH_REDIS_REST_TOKEN: rest.token,
  });
});

afterAll(async () => {
  for (const visitor of visitors) visitor.http.close();
  await demo?.stop();
  inspector?.disconnect();
  await rest?.stop();
  await redis?.stop();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

it(`S29: redis-server stopped under load (${LOAD_CLIENTS} clients) and restarted: 503s, then the same sessions, nothing lost`, async () => {
  const server = demo as DemoServer;
  const store = redis as RedisServer;
  visitors = Array.from({ length: LOAD_CLIENTS }, (_, i) => createVisitor(server.origin, i));
  await eachLimited(visitors, visitors.length, enrol);

  const tally = new Tally();
  let stopped = false;
  const started = Date.now();
  const load = runVisitors(visitors, tally, () => stopped, 200);

  await sleep(OUTAGE_PHASES.before);
  const killAt = Date.now();
  const pidBefore = store.pid;
  await store.terminate();
  const downAt = Date.now();
  await sleep(OUTAGE_PHASES.down);
  const restartAt = Date.now();
  await store.restart();
  const upAt = Date.now();
  expect(store.pid).not.toBe(pidBefore);
  await sleep(OUTAGE_PHASES.after);
  stopped = true;
  await load;
  const elapsed = (Date.now() - started) / 1_000;

  // Every session after the restart: the visitor's own, with exactly the count it was shown.
  const final = new Tally();
  const readBack: (number | undefined)[] = [];
  await eachLimited(visitors, visitors.length, async (visitor, i) => {
    const count = await checkIdentity(visitor, final);
    readBack[i] = count;
    // A client whose last visit was a 503 applied nonetheless (checked: at most one) shows it now.
    if (count !== undefined && count > visitor.shown) {
      visitor.ambiguous += count - visitor.shown;
      visitor.shown = count;
    }
  });
  const redisClient = inspector as IORedis;
  const stored = await Promise.all(
    visitors.map((v) =>
      redisClient.hget(storeKeyOf(`sid=${v.http.jar.get('__Host-sid')}`), 'd:visits'),
    ),
  );
  const records = await redisClient.dbsize();

  // Phases by when a request was sent: before the stop (answered before it too), while Redis
  // was stopping or down, until the first success after the restart, and after that.
  const recovered = Math.min(
    ...tally.seen.filter((s) => s.status === 200 && s.started >= upAt).map((s) => s.at),
  );
  const phase = (s: Seen): 'before' | 'outage' | 'recovery' | 'after' =>
    s.at < killAt
      ? 'before'
      : s.started < upAt
        ? 'outage'
        : s.started < recovered
          ? 'recovery'
          : 'after';
  const stats = {
    before: { ok: 0, unavailable: 0 },
    outage: { ok: 0, unavailable: 0 },
    recovery: { ok: 0, unavailable: 0 },
    after: { ok: 0, unavailable: 0 },
  };
  for (const s of tally.seen) {
    if (s.status === 200) stats[phase(s)].ok++;
    if (s.status === 503) stats[phase(s)].unavailable++;
  }
  const servedAfter = new Set(
    tally.seen.filter((s) => s.status === 200 && phase(s) === 'after').map((s) => s.client),
  );
  // With Redis gone, nothing can succeed: a 200 here would be a session served without its store.
  const servedWhileDown = tally.count(
    (s) => s.status === 200 && s.started >= downAt && s.at < restartAt,
  );
  const ambiguous = visitors.reduce((sum, v) => sum + v.ambiguous, 0);
  const phases = Object.entries(stats)
    .map(([name, { ok, unavailable }]) => `${name} ${ok}/${unavailable}`)
    .join(', ');
  console.log(
    `[outage] ${LOAD_CLIENTS} clients, ${elapsed.toFixed(1)} s, ${tally.seen.length} requests; ` +
      `SIGTERM took ${downAt - killAt} ms, down ${restartAt - downAt} ms, restart (AOF load) ` +
      `${upAt - restartAt} ms; 200s/503s by phase: ${phases}; first success ` +
      `${recovered - upAt} ms after Redis answered; ${ambiguous} requests answered 503 ` +
      `although Redis had applied them; ${tally.problemCount + final.problemCount} problems; ` +
      `${records} records in Redis; ${servedAfter.size} clients served after the first success`,
  );

  expect([...tally.problems, ...final.problems]).toEqual([]);
  expect(tally.problemCount + final.problemCount).toBe(0);
  expect(tally.count((s) => s.status !== 200 && s.status !== 503)).toBe(0);
  expect(stats.before.unavailable, '503s before the stop').toBe(0);
  expect(stats.outage.unavailable, '503s while Redis was down').toBeGreaterThan(0);
  // Service resumed by itself: some request sent after the restart succeeded (no bound on how
  // soon: a wall-clock limit flakes on a busy machine, issue 11.3), and none failed after it.
  expect(Number.isFinite(recovered), 'a success after the restart').toBe(true);
  expect(stats.after.unavailable, '503s once service resumed').toBe(0);
  expect(servedWhileDown, '200s while Redis was down').toBe(0);
  // Everything works again, with the same sessions: every client's read-back succeeded.
  expect(final.count((s) => s.status !== 200)).toBe(0);
  // The same sessions, with exactly what each client was told (plus its ambiguous 503, if any).
  expect(readBack).toEqual(visitors.map((v) => v.shown));
  expect(stored).toEqual(visitors.map((v) => String(v.successes + v.ambiguous)));
  expect(visitors.every((v) => v.ambiguous <= 1 && v.ambiguous <= v.unavailable)).toBe(true);
  expect(records, 'one record per client, no other').toBe(LOAD_CLIENTS);
  expect(server.running()).toBe(true);
});
