/**
 * `node bench/peers/profile.js <server> <route> [seconds]`: where one server of the peer
 * benchmark spends its CPU on one route. Starts the server (servers.js) with `--cpu-prof`,
 * loads the route with autocannon as a measurement does (`new` = `/counter` without a cookie),
 * stops it, and prints the functions with the most self time, grouped by package, plus each
 * package's share. The profile stays in a temporary directory, printed at the end, for
 * Chrome DevTools. Needs the packages built (`npx turbo run build`).
 *
 * A database server (servers.js `database`) gets a throwaway PostgreSQL or redis-server, as in
 * `npm run bench:databases`. Environment: BENCH_CONNECTIONS (default 10).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { positiveNumber } from '../settings.js';
import { startDatabases } from './databases-env.js';
import { cookieHeader, SERVER } from './measure.js';
import { forkReady, stopChild } from './processes.js';
import { SERVERS } from './servers.js';

const [name, route = '/read', seconds = '5'] = process.argv.slice(2);
if (SERVERS[name] === undefined) {
  console.error(`usage: profile.js <server> <route> [seconds]; servers: ${Object.keys(SERVERS)}`);
  process.exit(2);
}
const TOP = 30;
const dir = mkdtempSync(join(tmpdir(), 'fetch-session-profile-'));
const { database } = SERVERS[name];
const databases = await startDatabases({
  postgres: database === 'postgres',
  redis: database === 'redis',
});
const { child, message } = await forkReady(SERVER, [name], {
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  env: databases.env,
});
const base = `http://127.0.0.1:${message.port}`;
let headers = {};
if (route !== 'new') {
  const seed = await fetch(`${base}/counter`);
  await seed.text();
  headers = { cookie: cookieHeader(seed) };
}
const url = `${base}${route === 'new' ? '/counter' : route}`;
const connections = Math.round(positiveNumber('BENCH_CONNECTIONS', 10));
const warmup = await autocannon({ url, headers, connections, duration: 1 }); // in the profile too
const result = await autocannon({ url, headers, connections, duration: Number(seconds) });
await stopChild(child);
await databases.stop();

const file = readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
// Self time per node: the sample intervals attributed to it.
const self = new Map();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((sum, us) => sum + us, 0);
/** Which package (or node internal) a script belongs to. */
const owner = (url) => {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const match =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ??
    /packages\/(?:[^/]+\/)?([^/]+)\/dist/.exec(url);
  return match === null ? url.split('/').slice(-2).join('/') : match[1];
};
const byFunction = new Map();
const byOwner = new Map();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : ` ${owner(url)} ${url.split('/').at(-1)}:${lineNumber + 1}`;
  const key = `${functionName || '(anonymous)'}${file}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byOwner.set(owner(url), (byOwner.get(owner(url)) ?? 0) + us);
}
const requests = warmup.requests.total + result.requests.total;
const line = ([key, us]) =>
  `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / requests).toFixed(2).padStart(7)} µs/req  ${key}`;
console.log(
  `${name} ${route}: ${requests} requests (${Math.round(result.requests.average)} req/s)`,
);
console.log('\nBy package (self time):');
for (const entry of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(line(entry));
console.log(`\nTop ${TOP} functions (self time):`);
for (const entry of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP))
  console.log(line(entry));
console.log(`\nProfile: ${join(dir, file)}`);
