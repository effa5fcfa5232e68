/** The database benchmark's Markdown report (databases.js). Prints ratios; asserts nothing. */
import { BUSY } from '../cpu-load.js';
import { int, percent, roundValue, table } from '../markdown.js';
import { DAGGER, fixed, flag, pair, ratioText, rpsText, stat, times } from './compare.js';
import { summarize } from './measure.js';
import { ROUTE_LABELS } from './servers.js';

const ROUTES = ['/read', '/counter', 'new'];

/** Ours next to the peer an Express user would pick for the same database. */
const MATCHES = [
  {
    database: 'PostgreSQL',
    ours: ['fs-express-pg', 'fs-express-postgres-js'],
    peer: 'express-session-pg',
  },
  { database: 'Redis', ours: ['fs-express-redis'], peer: 'express-session-redis' },
  { database: 'memory (reference)', ours: ['fs-express'], peer: 'express-session' },
];

const LABELS = {
  'fs-express-pg': '@fetch-session/postgres (pg Pool)',
  'fs-express-postgres-js': '@fetch-session/postgres (postgres.js)',
  'express-session-pg': 'express-session + connect-pg-simple (pg Pool)',
  'fs-express-redis': '@fetch-session/redis (node-redis)',
  'express-session-redis': 'express-session + connect-redis (node-redis)',
  'fs-express': '@fetch-session/memory',
  'express-session': 'express-session MemoryStore',
};

const cpuText = (summary) =>
  summary === undefined
    ? 'n/a'
    : `${fixed(summary.serverCpuUs, 0)} + ${fixed(summary.helperCpuUs, 0)}`;

function matchSection(results, statements, { database, ours, peer }) {
  const rows = [];
  const verdicts = [];
  for (const name of [...ours, peer]) {
    if (results[name] === undefined) continue;
    for (const route of ROUTES) {
      const mine = stat(results, name, route);
      if (mine === undefined) continue;
      const reference = name === peer ? undefined : stat(results, peer, route);
      const chosen = pair(mine, reference);
      const counted = statements[name]?.[route];
      rows.push([
        name === peer ? LABELS[name] : `**${LABELS[name]}**`,
        ROUTE_LABELS[route],
        rpsText(mine),
        chosen === undefined ? '—' : ratioText(mine, reference),
        cpuText(mine),
        counted === undefined ? '—' : String(counted),
        mine.runs.map((run) => roundValue(int(run.requestsPerSec), run.otherLoad)).join(', '),
      ]);
      if (chosen !== undefined) {
        const ratio = chosen.a.requestsPerSec / chosen.b.requestsPerSec;
        verdicts.push(
          `${LABELS[name]} ${ROUTE_LABELS[route]}: ${times(ratio)}${flag(chosen.reliable)} ` +
            `(${ratio > 1 ? 'ahead' : '**not ahead**'})`,
        );
      }
    }
  }
  if (rows.length === 0) return [];
  return [
    `## ${database}`,
    '',
    table(
      [
        'Server (on Express)',
        'Route',
        'req/s',
        '× peer',
        'CPU µs/req: server + database',
        'Statements/req',
        'Rounds req/s',
      ],
      rows,
    ),
    '',
    `Target "ahead of the peer on every route": ${verdicts.join('; ') || 'n/a'}.`,
    '',
  ];
}

/** What each database store adds to the memory store's CPU, per route (issue 13's read target). */
function overheadSection(results) {
  const rows = [];
  for (const name of ['fs-express-pg', 'fs-express-postgres-js', 'fs-express-redis']) {
    if (results[name] === undefined || results['fs-express'] === undefined) continue;
    for (const route of ROUTES) {
      const chosen = pair(stat(results, name, route), stat(results, 'fs-express', route));
      if (chosen === undefined) continue;
      const total = (s) => s.serverCpuUs + s.helperCpuUs;
      rows.push([
        LABELS[name],
        ROUTE_LABELS[route],
        `${times(chosen.a.serverCpuUs / chosen.b.serverCpuUs)}${flag(chosen.reliable)}`,
        `${times(total(chosen.a) / total(chosen.b))}${flag(chosen.reliable)}`,
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    '## Cost next to the memory store (same adapter, same run)',
    '',
    table(['Store', 'Route', 'Server CPU × memory', 'Server + database CPU × memory'], rows),
    '',
  ];
}

/** The whole report as Markdown. */
export function renderDatabasesReport({ env, settings, results, statements, runSeconds }) {
  const versions = Object.entries(env.packages)
    .map(([name, version]) => `${name}@${version}`)
    .join(', ');
  const entries = Object.values(results).flatMap((routes) => Object.values(routes));
  const disturbed = entries.filter((entry) => !summarize(entry.runs).clean).length;
  const bare = stat(results, 'express', '/bare');
  return [
    '# fetch-session database benchmark',
    '',
    `- Date: ${env.date}; run time ${Math.floor(runSeconds / 60)} min ${Math.round(runSeconds % 60)} s`,
    `- Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGb} GB; ${env.platform}; Node ${env.node}; load average at start ${env.loadAverage.map((value) => value.toFixed(2)).join(' / ')}`,
    `- Versions: ${versions}`,
    `- Load: autocannon in the parent process, ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per measurement, a fresh server process per measurement, ${settings.rounds} interleaved rounds; medians of the rounds where other processes used at most ${percent(BUSY)} of all cores`,
    '',
    ...(disturbed === 0
      ? []
      : [
          `> **Warning:** ${disturbed} of ${entries.length} measurements had no undisturbed round; figures marked ${DAGGER} are unreliable.`,
          '',
        ]),
    `Every server is Express ${env.packages.express ?? ''} in its own process, with the session
library's documented defaults plus a secret (express-session: \`resave: false\`,
\`saveUninitialized: false\`; connect-pg-simple's table from its \`table.sql\`; ours: the
store's \`migrate()\`), and its database client's default pool. One PostgreSQL
${env.packages.postgresql} (\`fsync=off\`) and one redis-server ${env.packages['redis-server']}
on the same two cores serve all of them. \`/read\` reads a counter, \`/counter\` increments it,
"new visitor" is \`/counter\` without a cookie. Express without sessions answers \`/bare\` at
${bare === undefined ? 'n/a' : rpsText(bare)} req/s. CPU is per request: the server process,
then the database (the postmaster and its backends, or redis-server). Statements are counted
at the server's PostgreSQL client, one request of each type after a warm-up request.`,
    '',
    ...MATCHES.flatMap((match) => matchSection(results, statements, match)),
    ...overheadSection(results),
  ].join('\n');
}
