/** Turns the benchmark results into one Markdown report. Prints ratios; asserts nothing. */

import { BUSY } from './cpu-load.js';
import { SCENARIOS } from './handlers.js';
import { int, percent, roundValue, table } from './markdown.js';

const ratio = (value) => `${value.toFixed(2)}x`;
const us = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} µs`;
const ms = (value) => value.toFixed(2);

function environment({ env, settings }) {
  return [
    `- Date: ${env.date}`,
    `- Node ${env.node} on ${env.platform}; CPU: ${env.cpu} (${env.cores} cores)`,
    `- Packages: ${Object.entries(env.packages)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}`,
    `- HTTP: ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per measurement, ${settings.rounds} interleaved rounds, median of the undisturbed rounds reported`,
    `- In process: ${settings.inProcessRounds} rounds of ${settings.inProcessTime} ms per variant, median of the undisturbed rounds' mean times`,
  ].join('\n');
}

function httpSection(http) {
  const rows = SCENARIOS.map((scenario) => {
    const baselineName = scenario.httpBaseline ?? scenario.baseline;
    const session = http[scenario.session];
    const baseline = http[baselineName];
    return [
      scenario.name,
      `\`${baselineName}\``,
      int(baseline.requestsPerSec),
      int(session.requestsPerSec),
      ratio(session.requestsPerSec / baseline.requestsPerSec),
      ratio(session.requestsPerSec / http.bare.requestsPerSec),
      `${baseline.serverCpuUs.toFixed(1)} → ${session.serverCpuUs.toFixed(1)} (${us(session.serverCpuUs - baseline.serverCpuUs)})`,
      `${ms(baseline.p50)} / ${ms(baseline.p99)}`,
      `${ms(session.p50)} / ${ms(session.p99)}`,
    ];
  });
  const variants = Object.entries(http).map(([name, result]) => [
    `\`${name}\``,
    int(result.requestsPerSec),
    result.serverCpuUs.toFixed(1),
    ms(result.p50),
    ms(result.p99),
    result.rounds.map((run) => roundValue(int(run.requestsPerSec), run.otherLoad)).join(', '),
    result.failures === 0 ? '0' : `**${result.failures}**`,
    result.otherLoad > BUSY ? `**${percent(result.otherLoad)}**` : percent(result.otherLoad),
  ]);
  return [
    '## Over HTTP (@hono/node-server, a fresh server process per measurement, autocannon)',
    '',
    table(
      [
        'Scenario',
        'Fair baseline',
        'Baseline req/s',
        'Session req/s',
        'Ratio to fair baseline',
        'Ratio to bare',
        'Server CPU µs/req: baseline → session',
        'Baseline p50 / p99 (ms)',
        'Session p50 / p99 (ms)',
      ],
      rows,
    ),
    '',
    table(
      [
        'Variant',
        'req/s (median)',
        'Server CPU µs/req',
        'p50 ms',
        'p99 ms',
        'Rounds req/s',
        'Failed',
        'Other load (max, rounds used)',
      ],
      variants,
    ),
  ].join('\n');
}

function targetsSection(http, inProcess) {
  const rows = SCENARIOS.filter((scenario) => scenario.target !== undefined).map((scenario) => {
    const baselineName = scenario.httpBaseline ?? scenario.baseline;
    const achieved = http[scenario.session].requestsPerSec / http[baselineName].requestsPerSec;
    const local =
      inProcess.variants[scenario.baseline].meanUs / inProcess.variants[scenario.session].meanUs;
    return [
      `${scenario.name} >= ${scenario.target}x \`${baselineName}\``,
      ratio(achieved),
      achieved >= scenario.target ? 'reached' : '**not reached**',
      ratio(local),
    ];
  });
  return [
    '## Targets (HTTP throughput; printed, not asserted)',
    '',
    table(['Target', 'HTTP ratio', 'Status', 'In-process ratio (for information)'], rows),
  ].join('\n');
}

function inProcessSection({ variants: inProcess, roundLoads }) {
  const bare = inProcess.bare;
  const rows = SCENARIOS.map((scenario) => {
    const session = inProcess[scenario.session];
    const baseline = inProcess[scenario.baseline];
    return [
      scenario.name,
      `\`${scenario.baseline}\``,
      int(baseline.opsPerSec),
      int(session.opsPerSec),
      ratio(session.opsPerSec / baseline.opsPerSec),
      us(session.meanUs - baseline.meanUs),
      us(session.meanUs - bare.meanUs),
    ];
  });
  const variants = Object.entries(inProcess).map(([name, result]) => [
    `\`${name}\``,
    int(result.opsPerSec),
    result.meanUs.toFixed(2),
    result.roundsUs.map((value, i) => roundValue(value.toFixed(2), roundLoads[i])).join(', '),
  ]);
  return [
    '## In process (tinybench: new Request, handler, Response; no HTTP)',
    '',
    table(
      [
        'Scenario',
        'Fair baseline',
        'Baseline ops/s',
        'Session ops/s',
        'Ratio',
        'Session work vs fair baseline',
        'vs bare handler',
      ],
      rows,
    ),
    '',
    table(['Variant', 'ops/s', 'Mean µs', 'Rounds mean µs'], variants),
    '',
    `Other processes used ${roundLoads.map(percent).join(', ')} of all cores in the rounds.`,
  ].join('\n');
}

function storeCallsSection(storeCalls) {
  const rows = storeCalls.map((row) => [
    row.name,
    row.load,
    row.write,
    row.touch,
    row.delete,
    row.load + row.write + row.touch + row.delete,
    row.setCookie ? 'yes' : 'no',
  ]);
  return [
    '## Store calls per request (memory store, counted with countStoreCalls)',
    '',
    table(['Request', 'load', 'write', 'touch', 'delete', 'total', 'Set-Cookie'], rows),
  ].join('\n');
}

const LEGEND = `Ratios are session throughput divided by baseline throughput (1.00x = free). The
fair baseline is the same route without sessions returning the same headers (\`Vary: Cookie\`;
for new visitors also \`Set-Cookie\` and \`Cache-Control: private, no-store\`, which session
responses also carry for a stored session); the untouched route is compared with the same
handler behind a no-op async wrapper. "Ratio to bare" compares with the
plain handler without any extra header. Session work is the difference in mean time per request
(in process) or in the server process's CPU time per request (over HTTP, all its threads).`;

function busyWarning({ http, inProcess }) {
  const worst = Math.max(inProcess.otherLoad, ...Object.values(http).map((r) => r.otherLoad));
  if (worst <= BUSY) return [];
  return [
    `> **Warning:** other processes used up to ${percent(worst)} of all cores during`,
    '> measurements that had no undisturbed round; those ratios are unreliable. Rerun on an',
    '> idle machine.',
    '',
  ];
}

/** The whole report as Markdown. */
export function renderReport(results) {
  return [
    '# fetch-session benchmark',
    '',
    environment(results),
    '',
    ...busyWarning(results),
    LEGEND,
    '',
    httpSection(results.http),
    '',
    targetsSection(results.http, results.inProcess),
    '',
    inProcessSection(results.inProcess),
    '',
    storeCallsSection(results.storeCalls),
    '',
  ].join('\n');
}
