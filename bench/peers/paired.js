/**
 * `npm run bench:targets`: issue 17's targets (targets.js), each measured as a pair back to
 * back. A block is A, B, B, A (each a fresh server process, as in `npm run bench:peers`), so a
 * drift of the machine's speed during the block cancels to first order; the block's ratio is
 * mean(A) / mean(B) on the target's measure (requests/s, or server CPU per request), and the
 * target's ratio is the median over blocks. Ratios from blocks in which other processes used
 * more than 10% of all cores are left out when undisturbed blocks exist. Writes
 * bench/results/targets.{md,json}.
 *
 * Environment: BENCH_BLOCKS (default 3), and as bench:peers: BENCH_DURATION, BENCH_CONNECTIONS,
 * BENCH_SERVER_EXEC_ARGV (harness.js).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { BUSY } from '../cpu-load.js';
import { int, table } from '../markdown.js';
import { positiveNumber } from '../settings.js';
import { median } from '../stats.js';
import { fastestPeer } from './compare.js';
import { benchSettings, cleanUpOnSignal, machineInfo, writeRawResults } from './harness.js';
import { measure } from './measure.js';
import { stopAll } from './processes.js';
import { SERVERS } from './servers.js';
import { DEFAULT_FASTEST_PEER, isReached, targets } from './targets.js';

const log = (line) => process.stderr.write(`[targets] ${line}\n`);
const blocks = Math.round(positiveNumber('BENCH_BLOCKS', 3));
const { execArgv, ...load } = benchSettings();
const RESULTS = new URL('../results/', import.meta.url);

/** The peer to compare new visitors with: the fastest in the latest peer run, if there is one. */
async function peerForNewVisitors() {
  try {
    const data = JSON.parse(await readFile(new URL('peers.json', RESULTS), 'utf8'));
    return fastestPeer(data.results, 'new', SERVERS)?.name ?? DEFAULT_FASTEST_PEER;
  } catch {
    return DEFAULT_FASTEST_PEER;
  }
}

async function measureBlock(target) {
  const options = { ...load, execArgv, env: process.env, helpers: [] };
  const runs = [];
  for (const side of ['mine', 'reference', 'reference', 'mine']) {
    const [server, route] = target[side];
    runs.push({ side, ...(await measure(server, route, options)) });
  }
  const mean = (side, key) => {
    const values = runs.filter((run) => run.side === side).map((run) => run[key]);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };
  return {
    ratio: mean('mine', target.key) / mean('reference', target.key),
    mineRps: mean('mine', 'requestsPerSec'),
    referenceRps: mean('reference', 'requestsPerSec'),
    mineCpu: mean('mine', 'serverCpuUs'),
    referenceCpu: mean('reference', 'serverCpuUs'),
    otherLoad: Math.max(...runs.map((run) => run.otherLoad)),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
}

function render({ env, rows, peer, runSeconds }) {
  const lines = rows.map(({ target, blocks: list }) => {
    const clean = list.filter((block) => block.otherLoad <= BUSY);
    const used = clean.length > 0 ? clean : list;
    const ratio = median(used.map((block) => block.ratio));
    const status = isReached(target, ratio) ? 'reached' : '**not reached**';
    return [
      target.label,
      `${ratio.toFixed(2)}x${clean.length > 0 ? '' : '†'}`,
      target.note === undefined ? status : `${status} (${target.note})`,
      list
        .map((block) => `${block.ratio.toFixed(2)}${block.otherLoad > BUSY ? '†' : ''}`)
        .join(', '),
      `${int(median(used.map((block) => block.mineRps)))} vs ${int(median(used.map((block) => block.referenceRps)))} (${target.referenceLabel})`,
      `${median(used.map((block) => block.mineCpu)).toFixed(1)} vs ${median(used.map((block) => block.referenceCpu)).toFixed(1)}`,
    ];
  });
  return [
    '# fetch-session targets, measured in pairs',
    '',
    `- Date: ${env.date}; run time ${Math.floor(runSeconds / 60)} min ${Math.round(runSeconds % 60)} s`,
    `- Machine: ${env.cpu}, ${env.cores} cores; Node ${env.node}; load average at start ${env.loadAverage.map((value) => value.toFixed(2)).join(' / ')}`,
    `- Each target: ${rows[0]?.blocks.length ?? 0} blocks of A, B, B, A (ours, reference, reference, ours), each a fresh server process, ${load.warmup} s warm-up + ${load.duration} s, ${load.connections} connections; block ratio = mean(ours) / mean(reference); median of the blocks where other processes used at most 10% of all cores († otherwise). New visitors are compared with ${peer}, the fastest signing peer of the latest \`bench:peers\` run.`,
    '',
    table(
      [
        'Target',
        'Ratio (median)',
        'Status',
        'Blocks',
        'req/s: ours vs reference',
        'Server CPU µs/req: ours vs reference',
      ],
      lines,
    ),
    '',
  ].join('\n');
}

cleanUpOnSignal(stopAll);

const started = performance.now();
try {
  const peer = await peerForNewVisitors();
  const list = targets(peer);
  const names = [...new Set(list.flatMap((target) => [target.mine[0], target.reference[0]]))];
  const env = machineInfo(names);
  log(`${list.length} targets x ${blocks} blocks of 4 measurements (new visitors vs ${peer})`);
  const rows = [];
  for (const target of list) {
    const measured = [];
    for (let block = 0; block < blocks; block++) {
      const result = await measureBlock(target);
      measured.push(result);
      log(
        `${target.label}: block ${block + 1} ratio ${result.ratio.toFixed(2)}, other load ${Math.round(result.otherLoad * 100)}%`,
      );
    }
    rows.push({ target, blocks: measured });
  }
  await stopAll();
  const runSeconds = (performance.now() - started) / 1000;
  const data = { env, settings: { ...load, blocks }, peer, rows, runSeconds };
  await writeRawResults('targets', data);
  const report = render(data);
  process.stdout.write(report);
  await writeFile(new URL('targets.md', RESULTS), report);
  log(`written to bench/results/targets.{md,json} in ${Math.round(runSeconds)} s`);
} catch (error) {
  await stopAll();
  console.error(error);
  process.exitCode = 1;
}
