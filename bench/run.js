/**
 * `npm run bench`: store-call counts, the in-process benchmark, then the HTTP benchmark; prints
 * one Markdown report and writes it to bench/results/latest.md.
 *
 * Environment: BENCH_DURATION (seconds per HTTP measurement, default 5), BENCH_ROUNDS (default
 * 3), BENCH_CONNECTIONS (default 10), BENCH_SERVER_EXEC_ARGV (node flags for the server
 * processes, e.g. "--cpu-prof --cpu-prof-dir=bench/results/profiles").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { HTTP_VARIANTS } from './handlers.js';
import { runHttp, stopServers } from './http.js';
import { runInProcess } from './in-process.js';
import { renderReport } from './report.js';
import { envValue, packageVersion, positiveNumber } from './settings.js';
import { countCalls } from './store-calls.js';

const duration = positiveNumber('BENCH_DURATION', 5);
const settings = {
  duration,
  warmup: Math.min(1, duration / 2),
  rounds: Math.round(positiveNumber('BENCH_ROUNDS', 3)),
  connections: Math.round(positiveNumber('BENCH_CONNECTIONS', 10)),
  inProcessRounds: 3,
  inProcessTime: Math.round(Math.min(500, Math.max(150, duration * 100))),
};
const execArgv = (envValue('BENCH_SERVER_EXEC_ARGV') ?? '').split(' ').filter(Boolean);
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopServers();
    process.exit(130);
  });
}

try {
  const env = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    packages: Object.fromEntries(
      [
        '@fetch-session/core',
        '@fetch-session/memory',
        '@hono/node-server',
        'autocannon',
        'tinybench',
      ].map((name) => [name, packageVersion(name)]),
    ),
  };
  log('counting store calls');
  const storeCalls = await countCalls();
  log('in-process benchmark');
  const inProcess = await runInProcess({
    rounds: settings.inProcessRounds,
    time: settings.inProcessTime,
    log,
  });
  log('HTTP benchmark');
  const http = await runHttp({ variants: HTTP_VARIANTS, ...settings, execArgv, log });
  stopServers();

  const report = renderReport({ env, settings, storeCalls, inProcess, http });
  process.stdout.write(report);
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL('latest.md', dir), report);
  log('written to bench/results/latest.md');
} catch (error) {
  stopServers();
  console.error(error);
  process.exitCode = 1;
}
