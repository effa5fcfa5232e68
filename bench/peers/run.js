/**
 * `npm run bench:peers`: fetch-session next to other session libraries, over HTTP, each server
 * in its own process; plus our stores and adapters, two floors, and store round trips. Prints
 * one Markdown report and writes it to bench/results/peers.md, with a chart in peers.svg and
 * the raw rounds in peers.json. The database stores next to their express-session peers are
 * `npm run bench:databases` (databases.js).
 *
 * Environment: BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_SERVER_EXEC_ARGV (see
 * harness.js), BENCH_PEERS (comma-separated server names, to run a subset).
 */
import { packageVersion } from '../settings.js';
import {
  benchSettings,
  cleanUpOnSignal,
  estimateMinutes,
  machineInfo,
  measurementsOf,
  redisVersion,
  selectServers,
  writeRawResults,
} from './harness.js';
import { runMeasurements } from './measure.js';
import { forkReady, stopAll } from './processes.js';
import { startRedisServer } from './redis.js';
import { writeReport } from './render.js';
import { countRoundTrips } from './round-trips.js';
import { SERVERS } from './servers.js';

const log = (line) => process.stderr.write(`[peers] ${line}\n`);

const settings = benchSettings();
const names = selectServers(Object.keys(SERVERS).filter((name) => !SERVERS[name].databases));
const measurements = measurementsOf(names);

let redis;
async function cleanUp() {
  await stopAll();
  await redis?.stop();
  redis = undefined;
}
cleanUpOnSignal(cleanUp);

const started = performance.now();
try {
  const env = machineInfo(names, {
    'redis-server': redisVersion(),
    miniflare: packageVersion('miniflare'),
  });
  log(
    `${measurements.length} measurements x ${settings.rounds} rounds, about ` +
      `${estimateMinutes(measurements.length, settings)} min ` +
      `(${settings.warmup} s warm-up + ${settings.duration} s each)`,
  );

  // Redis and the REST server run for the whole benchmark; their CPU time is the Upstash
  // measurements' own (not "other load"), and is reported beside the server's.
  const needsUpstash = names.some((name) => SERVERS[name].needsUpstash);
  let serverEnv = process.env;
  const helpers = [];
  if (needsUpstash) {
    redis = await startRedisServer();
    const token = `bench-${process.pid}-${Date.now()}`;
    const rest = await forkReady(new URL('./upstash-rest.js', import.meta.url), [
      String(redis.port),
      token,
    ]);
    helpers.push(redis.pid, rest.child.pid);
    serverEnv = { ...process.env, BENCH_UPSTASH_URL: rest.message.url, BENCH_UPSTASH_TOKEN: token };
    log(`redis-server on port ${redis.port}, Upstash REST server at ${rest.message.url}`);
  }

  const roundTrips = await countRoundTrips({ redisPort: redis?.port, log });
  const { execArgv, ...load } = settings;
  const results = await runMeasurements({
    measurements,
    ...load,
    execArgv,
    env: serverEnv,
    helpers,
    log,
  });
  await cleanUp();

  const runSeconds = (performance.now() - started) / 1000;
  const data = { env, settings: load, results, roundTrips, runSeconds };
  await writeRawResults('peers', data);
  await writeReport(data);
  log(`written to bench/results/peers.{md,svg,json} in ${Math.round(runSeconds)} s`);
} catch (error) {
  await cleanUp();
  console.error(error);
  process.exitCode = 1;
}
