/**
 * HTTP benchmark: every measurement runs in a fresh server process (bench/server.js) loaded by
 * autocannon from this process, so no result depends on one process's JIT and heap layout.
 * Variants are interleaved, in rotated order, over several rounds; per variant the median of
 * the rounds not disturbed by other processes.
 */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { checkResponse, cookieFrom } from './check.js';
import { startLoadSample, undisturbed } from './cpu-load.js';
import { FAKE_COOKIE_VALUE, VARIANTS } from './handlers.js';
import { median, percentile } from './stats.js';

const SERVER = new URL('./server.js', import.meta.url);
const children = new Set();

/** Stops every server process this module started. */
export function stopServers() {
  for (const child of children) child.kill();
  children.clear();
}

function startServer(name, execArgv) {
  return new Promise((resolve, reject) => {
    const child = fork(SERVER, [name], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      children.delete(child);
      reject(new Error(`server ${name} exited (${signal ?? code}) before it was ready`));
    });
    child.once('message', (ports) => resolve({ child, ...ports }));
  });
}

/** Starts a variant's server, gets its cookie and checks one response. */
async function prepare(name, execArgv) {
  const variant = VARIANTS[name];
  const { child, port, seedPort } = await startServer(name, execArgv);
  let cookie;
  if (variant.cookie === 'fake') cookie = `sid=${FAKE_COOKIE_VALUE}`;
  if (variant.cookie === 'session')
    cookie = cookieFrom(await fetch(`http://127.0.0.1:${seedPort}/`));
  const url = `http://127.0.0.1:${port}/`;
  const headers = cookie === undefined ? {} : { cookie };
  await checkResponse(name, variant, await fetch(url, { headers }));
  return { child, url, headers };
}

/** One autocannon run; latencies are recorded per response (autocannon's own are whole ms). */
async function load({ child, url, headers }, duration, connections, record) {
  const latencies = [];
  const stopSample = await startLoadSample(child);
  const instance = autocannon({ url, headers, connections, duration });
  if (record) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const { otherLoad, childMs } = await stopSample();
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSec: result.requests.total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: result.errors + result.timeouts + result.non2xx,
    otherLoad,
    serverCpuUs: (childMs * 1000) / result.requests.total,
  };
}

/** Stops one server and waits until it has exited. */
function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  return exited;
}

/** One measurement in a fresh server process: start, check, warm up, measure, stop. */
async function measure(name, { duration, warmup, connections, execArgv }) {
  const target = await prepare(name, execArgv);
  try {
    if (warmup > 0) await load(target, warmup, connections, false);
    return await load(target, duration, connections, true);
  } finally {
    await stopServer(target.child);
  }
}

/**
 * @param {{ variants: string[], rounds: number, duration: number, warmup: number,
 *   connections: number, execArgv: string[], log: (line: string) => void }} options
 */
export async function runHttp({ variants, rounds, log, ...options }) {
  const runs = Object.fromEntries(variants.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const name = variants[(i + round) % variants.length];
      const run = await measure(name, options);
      runs[name].push(run);
      const rate = `${Math.round(run.requestsPerSec)} req/s`;
      const cpu = `${run.serverCpuUs.toFixed(1)} µs server CPU/req`;
      const other = `${Math.round(run.otherLoad * 100)}% other load`;
      log(`http round ${round + 1}/${rounds} ${name}: ${rate}, ${cpu}, ${other}`);
    }
  }

  const results = {};
  for (const name of variants) {
    // Rounds disturbed by other processes are left out when undisturbed ones exist.
    const list = undisturbed(runs[name]);
    results[name] = {
      requestsPerSec: median(list.map((run) => run.requestsPerSec)),
      p50: median(list.map((run) => run.p50)),
      p99: median(list.map((run) => run.p99)),
      serverCpuUs: median(list.map((run) => run.serverCpuUs)),
      failures: runs[name].reduce((sum, run) => sum + run.failures, 0),
      otherLoad: Math.max(...list.map((run) => run.otherLoad)),
      rounds: runs[name].map(({ requestsPerSec, otherLoad }) => ({ requestsPerSec, otherLoad })),
    };
  }
  return results;
}
