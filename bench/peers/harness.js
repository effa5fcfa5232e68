/**
 * What the HTTP benchmarks over bench/peers/servers.js share: their settings from the
 * environment, the subset of servers to run, the machine and package versions for the report,
 * and where the raw rounds are kept.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { envValue, packageVersion, positiveNumber } from '../settings.js';
import { SERVERS } from './servers.js';

/**
 * BENCH_DURATION (seconds per measurement, default 2.5; warm-up min(0.75, half)), BENCH_ROUNDS
 * (default 3), BENCH_CONNECTIONS (default 10), BENCH_SERVER_EXEC_ARGV (node flags for the
 * servers).
 */
export function benchSettings() {
  const duration = positiveNumber('BENCH_DURATION', 2.5);
  return {
    duration,
    // Short: every measurement x 3 rounds of `npm run bench:peers` must fit in about 10 minutes.
    warmup: Math.min(0.75, duration / 2),
    rounds: Math.round(positiveNumber('BENCH_ROUNDS', 3)),
    connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 10)),
    execArgv: (envValue('BENCH_SERVER_EXEC_ARGV') ?? '').split(' ').filter(Boolean),
  };
}

/** `names`, narrowed to BENCH_PEERS (comma-separated server names) when it is set. */
export function selectServers(names) {
  const only = (envValue('BENCH_PEERS') ?? '').split(',').filter(Boolean);
  for (const name of only) {
    if (SERVERS[name] === undefined) {
      throw new Error(`BENCH_PEERS: unknown server ${name}; one of ${Object.keys(SERVERS)}`);
    }
  }
  return names.filter((name) => only.length === 0 || only.includes(name));
}

/** The measurements of `names`: every measured route of each. */
export const measurementsOf = (names) =>
  names.flatMap((server) => SERVERS[server].routes.map((route) => ({ server, route })));

/** A server binary's version from its `--version` output (first match of `pattern`). */
export function binaryVersion(file, args, pattern) {
  try {
    const text = execFileSync(file, args, { encoding: 'utf8' });
    return pattern.exec(text)?.[1] ?? 'unknown';
  } catch {
    return 'not found';
  }
}

export const redisVersion = () =>
  binaryVersion(envValue('REDIS_SERVER_BIN') ?? 'redis-server', ['--version'], /v=(\S+)/);

/** The machine and the versions of the servers' packages (plus `extra`), for the report. */
export function machineInfo(names, extra = {}) {
  const packages = [...new Set(['autocannon', ...names.flatMap((name) => SERVERS[name].packages)])];
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg(),
    packages: {
      ...Object.fromEntries(packages.map((name) => [name, packageVersion(name)])),
      ...extra,
    },
  };
}

/** About how long the measurements take, in minutes. */
export function estimateMinutes(count, { duration, warmup, rounds }) {
  const perMeasurement = duration + warmup + 0.7; // + start, seed, check, stop
  return Math.round((count * rounds * perMeasurement) / 60);
}

/** Runs `cleanUp` (stopping the servers and databases) before exiting on Ctrl-C or SIGTERM. */
export function cleanUpOnSignal(cleanUp) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      cleanUp().finally(() => process.exit(130));
    });
  }
}

/** Keeps the raw rounds in bench/results/<name>.json, so the report can be redone without measuring. */
export async function writeRawResults(name, data) {
  const dir = new URL('../results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL(`${name}.json`, dir), `${JSON.stringify(data, null, 1)}\n`);
}
