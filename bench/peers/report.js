/** The peer benchmark's Markdown report. Prints ratios and target status; asserts nothing. */

import { BUSY } from '../cpu-load.js';
import { int, percent, roundValue, table } from '../markdown.js';
import {
  DAGGER,
  fastestPeer,
  fixed,
  flag,
  pair,
  ratioText,
  rpsText,
  stat,
  times,
} from './compare.js';
import { summarize } from './measure.js';
import { REQUEST_TYPES } from './round-trips.js';
import { FRAMEWORK_BASELINE, ROUTE_LABELS, ROUTES, SERVERS } from './servers.js';
import { isReached, targets } from './targets.js';

/** Request type of the round-trip table that each measured route is. */
const ROUTE_REQUEST = {
  '/bare': 'route that ignores the session',
  '/read': 'read',
  '/counter': 'write',
  new: 'new visitor (writes)',
};
const STORE_LABELS = {
  memory: 'memory',
  cookie: 'cookie',
  upstash: 'Upstash',
  'cloudflare-kv': 'Cloudflare KV',
  'durable-objects': 'Durable Objects',
  redis: 'Redis (TCP)',
  'redis-cluster': 'Redis Cluster',
  postgres: 'PostgreSQL',
  sqlite: 'SQLite',
  d1: 'D1',
  filesystem: 'filesystem',
  memcached: 'memcached',
};

/** Reference measurements of one run. */
function lookup(results) {
  const get = (server, route) => stat(results, server, route);
  const bareHono = get('hono', '/bare');
  const floorOf = (route) =>
    route === '/bare'
      ? { name: 'no-op', stat: get('hono-noop', '/bare') }
      : { name: 'Vary', stat: get('hono-vary', '/read') };
  const frameworkBare = (server) => get(FRAMEWORK_BASELINE[SERVERS[server].framework], '/bare');
  return {
    get,
    bareHono,
    floorOf,
    frameworkBare,
    fastestPeer: (route) => fastestPeer(results, route, SERVERS),
  };
}

function environment({ env, settings, runSeconds }) {
  const versions = Object.entries(env.packages)
    .map(([name, version]) => `${name}@${version}`)
    .join(', ');
  const minutes = `${Math.floor(runSeconds / 60)} min ${Math.round(runSeconds % 60)} s`;
  return [
    `- Date: ${env.date}; run time ${minutes}`,
    `- Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGb} GB; ${env.platform}; Node ${env.node}; load average at start ${env.loadAverage.map((value) => value.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`,
    `- Versions: ${versions}`,
    `- Load: autocannon in the parent process, ${settings.connections} connections, keep-alive, ${settings.warmup} s warm-up + ${settings.duration} s per measurement, a fresh server process per measurement, ${settings.rounds} interleaved rounds; medians of the rounds where other processes used at most ${percent(BUSY)} of all cores`,
  ].join('\n');
}

function busyWarning(results) {
  const entries = Object.values(results).flatMap((routes) => Object.values(routes));
  const unclean = entries.filter((entry) => !summarize(entry.runs).clean).length;
  if (unclean === 0) return [];
  return [
    `> **Warning:** ${unclean} of ${entries.length} measurements had no round in which other`,
    `> processes used at most ${percent(BUSY)} of all cores; their numbers and every ratio that`,
    `> involves them are marked ${DAGGER} and are unreliable. Rerun on an idle machine.`,
    '',
  ];
}

/** The compact table for the README: req/s per route and the ratio to bare Hono. */
function summarySection(results) {
  const { get, bareHono } = lookup(results);
  const rows = Object.entries(SERVERS)
    .filter(([name]) => results[name] !== undefined)
    .map(([name, server]) => [
      server.kind === 'ours' || server.kind === 'adapter' ? `**${server.label}**` : server.label,
      server.protects ?? '—',
      ...ROUTES.map((route) => {
        const value = get(name, route);
        return value === undefined ? '—' : `${rpsText(value)} (${ratioText(value, bareHono)})`;
      }),
    ]);
  return [
    '## Requests per second (median; in parentheses the ratio to bare Hono `/bare`)',
    '',
    table(['Server', 'Cookie', ...ROUTES.map((route) => ROUTE_LABELS[route])], rows),
    '',
    '![Requests per second](peers.svg)',
  ].join('\n');
}

function targetsSection(results) {
  const { get, fastestPeer } = lookup(results);
  const rows = targets(fastestPeer('new')?.name).map((target) => {
    const chosen = pair(get(...target.mine), get(...target.reference));
    if (chosen === undefined) return [target.label, 'n/a', 'not measured', '', ''];
    const value = chosen.a[target.key] / chosen.b[target.key];
    const reached = isReached(target, value) ? 'reached' : '**not reached**';
    const status = target.note === undefined ? reached : `${reached} (${target.note})`;
    return [
      target.label,
      `${times(value)}${flag(chosen.reliable)}`,
      chosen.reliable ? status : `${status} (unreliable${DAGGER})`,
      `${int(chosen.a.requestsPerSec)} vs ${int(chosen.b.requestsPerSec)} (${target.referenceLabel})`,
      `${fixed(chosen.a.serverCpuUs, 1)} vs ${fixed(chosen.b.serverCpuUs, 1)}`,
    ];
  });
  return [
    '## Targets (memory store, signed cookie; printed, not asserted)',
    '',
    table(
      [
        'Target',
        'Ratio',
        'Status',
        'req/s: ours vs reference',
        'Server CPU µs/req: ours vs reference',
      ],
      rows,
    ),
    '',
    `Medians of rounds minutes apart: on a machine whose speed drifts they carry that drift;
\`npm run bench:targets\` measures each pair back to back (bench/results/targets.md). The
fastest peer is picked by its median. Server CPU per request is less sensitive to other load
than requests/s, and is given for judging ${DAGGER} results. The memory store's scaling
targets (insert and read at 1,000,000 live sessions next to 1,000) are \`npm run
bench:scaling\`'s (bench/results/scaling.md).`,
  ].join('\n');
}

function roundTripCell(roundTrips, store, route, preloads = false) {
  if (preloads && route === '/bare') return '1 load (preloaded)';
  const row = roundTrips[store]?.rows?.[ROUTE_REQUEST[route]];
  if (row === undefined) return '—';
  if (row.wire !== undefined) return `${row.wire} ${store === 'upstash' ? 'HTTP' : 'KV'}`;
  const calls = Object.entries(row.calls).map(([method, n]) => `${n} ${method}`);
  return calls.length === 0 ? '0' : calls.join(' + ');
}

function detailSection(results, roundTrips) {
  const { get, bareHono, floorOf, frameworkBare } = lookup(results);
  const rows = [];
  for (const [name, server] of Object.entries(SERVERS)) {
    for (const route of server.routes) {
      const result = get(name, route);
      if (result === undefined) continue;
      const floor = floorOf(route);
      const headers = [
        result.response.vary ? 'Vary' : undefined,
        result.response.setCookies > 0 ? `Set-Cookie x${result.response.setCookies}` : undefined,
      ].filter(Boolean);
      rows.push([
        server.label,
        ROUTE_LABELS[route],
        rpsText(result),
        fixed(result.p50),
        fixed(result.p99),
        ratioText(result, bareHono),
        `${ratioText(result, floor.stat)} ${floor.name}`,
        ratioText(result, frameworkBare(name)),
        fixed(result.serverCpuUs, 1),
        server.needsUpstash ? fixed(result.helperCpuUs, 1) : '',
        server.store === undefined
          ? ''
          : roundTripCell(roundTrips, server.store, route, server.preloads),
        result.response.cookieBytes === 0 ? '—' : String(result.response.cookieBytes),
        headers.join(', ') || '—',
        result.runs.map((run) => roundValue(int(run.requestsPerSec), run.otherLoad)).join(', '),
        result.failures === 0 ? '0' : `**${result.failures}**`,
        result.clean ? percent(result.otherLoad) : `**${percent(result.otherLoad)}**`,
      ]);
    }
  }
  const noop = get('hono-noop', '/bare');
  const vary = get('hono-vary', '/read');
  return [
    '## Every measurement',
    '',
    table(
      [
        'Server',
        'Route',
        'req/s',
        'p50 ms',
        'p99 ms',
        '× bare Hono `/bare`',
        '× floor',
        '× same framework, no sessions',
        'Server CPU µs/req',
        'REST + redis CPU µs/req',
        'Store round trips/req',
        'Cookie sent (bytes)',
        'Response headers',
        'Rounds req/s',
        'Failed',
        'Other load (max, rounds used)',
      ],
      rows,
    ),
    '',
    `Floors: "no-op" is bare Hono behind an \`async (c, next) => { await next() }\` middleware
(\`/bare\`, ${noop === undefined ? 'n/a' : rpsText(noop)} req/s); "Vary" is bare Hono whose
route sets \`Vary: Cookie\` the way @fetch-session/hono does
(${vary === undefined ? 'n/a' : rpsText(vary)} req/s), the least any session route must send.
\`/bare\` rows compare with the no-op floor, the others with the Vary floor; both floors are
Hono, so for Express and node:http servers the framework column is the like-for-like one.`,
  ].join('\n');
}

function storesSection(results, roundTrips) {
  const { get } = lookup(results);
  const stores = [
    ['memory', 'fs-memory'],
    ['cookie', 'fs-cookie'],
    ['upstash', 'fs-upstash'],
  ].filter(([, name]) => results[name] !== undefined);
  const rows = [];
  for (const [store, name] of stores) {
    for (const route of SERVERS[name].routes) {
      const result = get(name, route);
      const chosen = pair(result, get('fs-memory', route));
      rows.push([
        STORE_LABELS[store],
        ROUTE_LABELS[route],
        rpsText(result),
        ratioText(result, get('fs-memory', route)),
        fixed(result.serverCpuUs, 1),
        chosen === undefined
          ? 'n/a'
          : `${fixed(chosen.a.serverCpuUs - chosen.b.serverCpuUs, 1)}${flag(chosen.reliable)}`,
        store === 'upstash' ? fixed(result.helperCpuUs, 1) : '—',
        roundTripCell(roundTrips, store, route),
        `${fixed(result.p50)} / ${fixed(result.p99)}`,
      ]);
    }
  }
  return [
    '## Stores (@fetch-session/hono on Hono; cost relative to the memory store)',
    '',
    table(
      [
        'Store',
        'Route',
        'req/s',
        '× memory',
        'Server CPU µs/req',
        'Δ vs memory (µs)',
        'REST + redis CPU µs/req',
        'Round trips/req',
        'p50 / p99 ms',
      ],
      rows,
    ),
    '',
    `The Upstash store talks to a local REST server (the Upstash package's test server, bundled
by bench/peers/upstash-rest.js; Upstash's protocol) in front of a local redis-server, all on
the same two cores as the server and the load generator: its throughput measures that whole
stack on one machine, not Upstash, where each round trip is a network request (milliseconds).
Its round-trip count is the number to carry over. Cloudflare KV is not timed (its KV would be
Miniflare's, over RPC to workerd); its calls are counted below.`,
  ].join('\n');
}

function adaptersSection(results) {
  const { get } = lookup(results);
  const adapters = [
    ['@fetch-session/hono `sessionMiddleware`', 'fs-memory', 'hono'],
    ['@fetch-session/node `expressSession`', 'fs-express', 'express'],
    ['@fetch-session/node `withNodeSession`', 'fs-node-http', 'node-http'],
  ].filter(([, name, bare]) => results[name] !== undefined && results[bare] !== undefined);
  const rows = adapters.map(([label, name, bare]) => {
    const base = get(bare, '/bare');
    const cell = (route) => {
      const value = get(name, route);
      return value === undefined ? '—' : `${rpsText(value)} (${ratioText(value, base)})`;
    };
    return [
      label,
      SERVERS[bare].label,
      rpsText(base),
      cell('/bare'),
      cell('/read'),
      cell('/counter'),
    ];
  });
  return [
    '## Adapters (memory store; ratio to the same framework without sessions, same run)',
    '',
    table(
      [
        'Adapter',
        'Framework baseline',
        'Baseline `/bare` req/s',
        '`/bare` (ignores the session)',
        '`/read` (read-only)',
        '`/counter` (read-write)',
      ],
      rows,
    ),
    '',
    `The Node adapters load the session before the route runs (Express code expects it ready),
so \`/bare\` with a session cookie still costs one store read there; Hono's loads lazily.`,
  ].join('\n');
}

function roundTripsSection(roundTrips) {
  // Known stores in a fixed order, then any other store the data holds.
  const stores = [
    ...Object.keys(STORE_LABELS).filter((store) => roundTrips[store] !== undefined),
    ...Object.keys(roundTrips).filter((store) => STORE_LABELS[store] === undefined),
  ];
  const label = (store) => STORE_LABELS[store] ?? store;
  const cell = (store, type) => {
    const entry = roundTrips[store];
    if (entry === undefined || entry.skipped !== undefined) return 'skipped';
    const row = entry.rows[type];
    const calls = Object.entries(row.calls).map(([method, n]) => `${n} ${method}`);
    const callText = calls.length === 0 ? '0' : calls.join(' + ');
    if (row.wire === undefined) return callText;
    const kinds = Object.entries(row.wireCalls)
      .filter(([kind]) => kind !== 'requests')
      .map(([kind, n]) => `${n} ${kind}`);
    const wire = `**${row.wire}**${kinds.length > 0 ? ` (${kinds.join(' + ')})` : ''}`;
    return `${wire}; store: ${callText}`;
  };
  const setCookie = (type) => {
    const measured = stores.filter((store) => roundTrips[store]?.rows !== undefined);
    const yes = measured.filter((store) => roundTrips[store].rows[type].setCookie);
    if (yes.length === 0) return 'no';
    if (yes.length === measured.length) return 'yes';
    return `${yes.map(label).join(', ')} only`;
  };
  // One row per store: the table stays readable however many stores there are.
  const rows = [
    ...stores.map((store) => [label(store), ...REQUEST_TYPES.map((type) => cell(store, type))]),
    ['Set-Cookie sent', ...REQUEST_TYPES.map(setCookie)],
  ];
  const wireLabels = stores
    .map((store) => roundTrips[store])
    .map((entry, i) =>
      entry?.skipped !== undefined
        ? `${label(stores[i])}: skipped (${entry.skipped})`
        : `${label(stores[i])}: ${entry?.wireLabel}`,
    );
  return [
    '## Store round trips per request (through `sessions.wrap`, default options)',
    '',
    table(['Store', ...REQUEST_TYPES], rows),
    '',
    `Bold: what goes over the wire (${wireLabels.join('; ')}); "store" counts the store's own
method calls (for the cookie store, seals and unseals). A touch is made due with a second
manager on the same store with \`touchAfter: 0\`. Upstash counts are after the scripts are
loaded into Redis (the first call of each script after a Redis restart costs one more request).`,
  ].join('\n');
}

const LEGEND = `Every server runs in its own process on 127.0.0.1 and answers the same routes: \`/bare\`
(does not touch the session), \`/read\` (reads a counter from the session), \`/counter\` (reads,
increments, writes it). Requests carry the cookie the server issued (servers without sessions
get a cookie of the same shape); "new visitor" is \`/counter\` without a cookie, so every
request creates a session. On stateless cookie stores autocannon keeps sending the first
cookie, so each \`/counter\` request decrypts, increments and re-encrypts the same value. Each
library runs its documented defaults plus a secret. Two CPU cores are shared by the server, the
load generator and (for Upstash) the REST server and redis-server: compare ratios, not
absolute requests/s.

${DAGGER}: rests on disturbed rounds only. A value marked ${DAGGER} had no round in which other
processes used at most ${percent(BUSY)} of all cores (it is the median of all its rounds). A
ratio is taken between the undisturbed medians when both sides have undisturbed rounds, else
between the medians of all rounds of both sides (never a quiet round against a busy one), and
is then marked ${DAGGER}.`;

/** The whole report as Markdown. */
export function renderReport({ env, settings, results, roundTrips, runSeconds }) {
  return [
    '# fetch-session peer benchmark',
    '',
    environment({ env, settings, runSeconds }),
    '',
    ...busyWarning(results),
    LEGEND,
    '',
    summarySection(results),
    '',
    targetsSection(results),
    '',
    storesSection(results, roundTrips),
    '',
    adaptersSection(results),
    '',
    roundTripsSection(roundTrips),
    '',
    detailSection(results, roundTrips),
    '',
  ].join('\n');
}
