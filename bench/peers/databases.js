/**
 * `npm run bench:databases`: our database stores next to the express-session store an Express
 * user would pick for the same database, over HTTP on Express, each server in its own process
 * (bench/peers/servers.js, the servers marked `databases`), with the memory stores of both
 * libraries for reference. One throwaway PostgreSQL 15 and one redis-server serve every
 * server; their CPU time (the postmaster, its backends, redis-server) is measured beside the
 * server's. Statements per request are counted at each server's database client. Writes
 * bench/results/databases.{md,json}.
 *
 * Environment: BENCH_DURATION, BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_SERVER_EXEC_ARGV (see
 * harness.js), BENCH_PEERS (comma-separated server names, to run a subset), PG_BIN.
 */
import { writeFile } from 'node:fs/promises';
import { envValue } from '../settings.js';
import { startDatabases } from './databases-env.js';
import { renderDatabasesReport } from './databases-report.js';
import {
  benchSettings,
  binaryVersion,
  cleanUpOnSignal,
  estimateMinutes,
  machineInfo,
  measurementsOf,
  redisVersion,
  selectServers,
  writeRawResults,
} from './harness.js';
import { cookieHeader, runMeasurements, SERVER } from './measure.js';
import { forkReady, stopAll, stopChild } from './processes.js';
import { SERVERS } from './servers.js';

const log = (line) => process.stderr.write(`[databases] ${line}\n`);
/** Both libraries on Express with their memory stores: what the database adds is the difference. */
const REFERENCES = ['express', 'express-session', 'fs-express'];

const settings = benchSettings();
const names = selectServers([
  ...REFERENCES,
  ...Object.keys(SERVERS).filter((name) => SERVERS[name].databases),
]);
const measurements = measurementsOf(names);

/**
 * Statements one request of each type sends from a fresh server process, counted at its
 * database client (servers.js `database: 'postgres'`).
 */
async function countStatements(name, { env }) {
  const { child, message } = await forkReady(SERVER, [name], { env });
  const sent = () =>
    new Promise((resolve) => {
      child.once('message', (reply) => resolve(reply.statements));
      child.send('statements');
    });
  const base = `http://127.0.0.1:${message.port}`;
  const request = async (path, cookie) => {
    const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
    await response.text();
    return response;
  };
  try {
    await request('/counter'); // a first request may run one-off statements (a schema check)
    const counts = {};
    let before = await sent();
    const cookie = cookieHeader(await request('/counter'));
    counts.new = (await sent()) - before;
    for (const route of ['/read', '/counter']) {
      before = await sent();
      await request(route, cookie);
      counts[route] = (await sent()) - before;
    }
    return counts;
  } finally {
    await stopChild(child);
  }
}

let databases;
async function cleanUp() {
  await stopAll();
  await databases?.stop();
  databases = undefined;
}
cleanUpOnSignal(cleanUp);

const started = performance.now();
try {
  const bin = envValue('PG_BIN') ?? '/usr/lib/postgresql/15/bin';
  const env = machineInfo(names, {
    'redis-server': redisVersion(),
    postgresql: binaryVersion(`${bin}/postgres`, ['--version'], /(\d+(?:\.\d+)+)/),
  });
  log(
    `${measurements.length} measurements x ${settings.rounds} rounds, about ` +
      `${estimateMinutes(measurements.length, settings)} min`,
  );
  databases = await startDatabases({ postgres: true, redis: true });
  const serverEnv = databases.env;
  log(
    `PostgreSQL on port ${databases.postgres.port}, redis-server on port ${databases.redis.port}`,
  );

  const statements = {};
  for (const name of names.filter((server) => SERVERS[server].database === 'postgres')) {
    statements[name] = await countStatements(name, { env: serverEnv });
    log(`statements ${name}: ${JSON.stringify(statements[name])}`);
  }
  const { execArgv, ...load } = settings;
  const results = await runMeasurements({
    measurements,
    ...load,
    execArgv,
    env: serverEnv,
    helpers: databases.helpers,
    log,
  });
  await cleanUp();

  const runSeconds = (performance.now() - started) / 1000;
  const data = { env, settings: load, results, statements, runSeconds };
  await writeRawResults('databases', data);
  const report = renderDatabasesReport(data);
  process.stdout.write(report);
  await writeFile(new URL('../results/databases.md', import.meta.url), report);
  log(`written to bench/results/databases.{md,json} in ${Math.round(runSeconds)} s`);
} catch (error) {
  await cleanUp();
  console.error(error);
  process.exitCode = 1;
}
