/**
 * `npm run bench:peers`: fetch-session next to other session libraries, over HTTP, each server
 * in its own process; plus our stores and adapters, two floors, and store round trips. Prints
 * one Markdown report and writes it to bench/results/peers.md, with a chart in peers.svg and
 * the raw rounds in peers.json.
 *
 * Environment: BENCH_DURATION (seconds per measurement, default 2.5; warm-up min(0.75, half)), BENCH_ROUNDS (default 3),
 * BENCH_CONNECTIONS (default 10), BENCH_SERVER_EXEC_ARGV (node flags for the servers),
 * BENCH_PEERS (comma-separated server names, to run a subset).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { envValue, packageVersion, positiveNumber } from '../settings.js';
import { runMeasurements } from './measure.js';
import { forkReady, stopAll } from './processes.js';
import { startRedisServer } from './redis.js';
import { writeReport } from './render.js';
import { countRoundTrips } from './round-trips.js';
import { SERVERS } from './servers.js';

const log = (line) => process.stderr.write(`[peers] ${line}\n`);

function redisVersion() {
  try {
    const text = execFileSync(envValue('REDIS_SERVER_BIN') ?? 'redis-server', ['--version'], {
      encoding: 'utf8',
    });
    return /v=(\S+)/.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'not found';
  }
}

const duration = positiveNumber('BENCH_DURATION', 2.5);
const settings = {
  duration,
  // Shorter than `npm run bench`'s: 42 measurements x 3 rounds must fit in about 10 minutes.
  warmup: Math.min(0.75, duration / 2),
  rounds: Math.round(positiveNumber('BENCH_ROUNDS', 3)),
  connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 10)),
};
const execArgv = (envValue('BENCH_SERVER_EXEC_ARGV') ?? '').split(' ').filter(Boolean);
const only = (envValue('BENCH_PEERS') ?? '').split(',').filter(Boolean);
for (const name of only) {
  if (SERVERS[name] === undefined) {
    throw new Error(`BENCH_PEERS: unknown server ${name}; one of ${Object.keys(SERVERS)}`);
  }
}
const names = Object.keys(SERVERS).filter((name) => only.length === 0 || only.includes(name));
const measurements = names.flatMap((server) =>
  SERVERS[server].routes.map((route) => ({ server, route })),
);

let redis;
async function cleanUp() {
  await stopAll();
  await redis?.stop();
  redis = undefined;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanUp().finally(() => process.exit(130));
  });
}

const started = performance.now();
try {
  const packages = [
    ...new Set(['autocannon', ...Object.values(SERVERS).flatMap((server) => server.packages)]),
  ];
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg(),
    packages: {
      ...Object.fromEntries(packages.map((name) => [name, packageVersion(name)])),
      'redis-server': redisVersion(),
      miniflare: packageVersion('miniflare'),
    },
  };
  const perMeasurement = settings.duration + settings.warmup + 0.7; // + start, seed, check, stop
  const estimate = Math.round((measurements.length * settings.rounds * perMeasurement) / 60);
  log(
    `${measurements.length} measurements x ${settings.rounds} rounds, about ${estimate} min ` +
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
  const results = await runMeasurements({
    measurements,
    ...settings,
    execArgv,
    env: serverEnv,
    helpers,
    log,
  });
  await cleanUp();

  const runSeconds = (performance.now() - started) / 1000;
  const data = { env, settings, results, roundTrips, runSeconds };
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  // The raw rounds, so that `node bench/peers/render.js` can redo the report without measuring.
  await writeFile(new URL('peers.json', dir), `${JSON.stringify(data, null, 1)}\n`);
  await writeReport(data);
  log(`written to bench/results/peers.{md,svg,json} in ${Math.round(runSeconds)} s`);
} catch (error) {
  await cleanUp();
  console.error(error);
  process.exitCode = 1;
}
