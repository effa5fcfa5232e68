/**
 * HTTP measurements of the peer benchmark: each one starts a fresh server process (its own
 * process group), gets the cookie that server issues, checks one response, warms up, then
 * loads it with autocannon from this process and stops it. Measurements are interleaved over
 * rounds; per measurement the median of the rounds not disturbed by other processes.
 */
import autocannon from 'autocannon';
import { BUSY, startLoadSample, undisturbed } from '../cpu-load.js';
import { FAKE_COOKIE_VALUE } from '../handlers.js';
import { median, percentile } from '../stats.js';
import { forkReady, stopChild } from './processes.js';
import { SERVERS } from './servers.js';

/** The server process's script: `node server.js <name>`. */
export const SERVER = new URL('./server.js', import.meta.url);

/** Whether a server has sessions (its requests carry the cookie it issued). */
export const hasSessions = (name) => !['baseline', 'floor'].includes(SERVERS[name].kind);

/** The `Cookie` header a browser would send back after this response (last one per name wins). */
export function cookieHeader(response) {
  const jar = new Map();
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0];
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (value === '' || /;\s*max-age=0/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The body each route must answer once the seed request (`/counter`, count=1) has run. */
function expectedBody(name, route) {
  if (route === '/bare') return 'bare';
  if (route === 'new') return 'count=1';
  const seeded = hasSessions(name);
  if (route === '/read') return seeded ? 'count=1' : 'count=0';
  return seeded ? 'count=2' : 'count=1';
}

/** Starts the server, gets its cookie and checks one response: a broken setup gets no number. */
async function prepare(name, route, { execArgv, env }) {
  const { child, message } = await forkReady(SERVER, [name], { execArgv, env });
  try {
    const base = `http://127.0.0.1:${message.port}`;
    let cookie;
    if (route !== 'new') {
      if (hasSessions(name)) {
        const seed = await fetch(`${base}/counter`);
        await seed.text();
        cookie = cookieHeader(seed);
        if (cookie === '') throw new Error(`${name}: the seed request got no cookie`);
      } else cookie = `sid=${FAKE_COOKIE_VALUE}`;
    }
    const url = `${base}${route === 'new' ? '/counter' : route}`;
    const headers = cookie === undefined ? {} : { cookie };
    const response = await fetch(url, { headers });
    const body = await response.text();
    const setCookies = response.headers.getSetCookie().length;
    if (
      response.status !== 200 ||
      body !== expectedBody(name, route) ||
      (route === 'new' && setCookies === 0)
    ) {
      throw new Error(
        `${name} ${route} answered ${response.status} ${JSON.stringify([...response.headers])} ${body}`,
      );
    }
    const vary = /(^|,)\s*cookie\s*(,|$)/i.test(response.headers.get('vary') ?? '');
    return {
      child,
      url,
      headers,
      response: { setCookies, vary, cookieBytes: cookie?.length ?? 0 },
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** One autocannon run; latencies are recorded per response (autocannon's own are whole ms). */
async function load({ child, url, headers }, { duration, connections, helpers }, record) {
  const latencies = [];
  const stopSample = await startLoadSample(child, helpers);
  const instance = autocannon({ url, headers, connections, duration });
  if (record) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const { otherLoad, childMs, helpersMs } = await stopSample();
  latencies.sort((a, b) => a - b);
  const total = result.requests.total;
  return {
    requestsPerSec: total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: result.errors + result.timeouts + result.non2xx,
    otherLoad,
    serverCpuUs: (childMs * 1000) / total,
    helperCpuUs: (helpersMs * 1000) / total,
  };
}

/** One measurement in a fresh server process: start, check, warm up, measure, stop. */
export async function measure(name, route, options) {
  const target = await prepare(name, route, options);
  try {
    if (options.warmup > 0) await load(target, { ...options, duration: options.warmup }, false);
    return { ...(await load(target, options, true)), response: target.response };
  } finally {
    await stopChild(target.child);
  }
}

/**
 * Runs every measurement `rounds` times, interleaved (each round starts at another point of
 * the list), and returns `results[server][route].runs`, one entry per round (see summarize).
 *
 * @param {{ measurements: { server: string, route: string }[], rounds: number,
 *   duration: number, warmup: number, connections: number, execArgv: string[],
 *   env: object, helpers: number[], log: (line: string) => void }} options
 */
export async function runMeasurements({ measurements, rounds, log, ...options }) {
  const runs = measurements.map(() => []);
  const shift = Math.max(1, Math.floor(measurements.length / rounds));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < measurements.length; i++) {
      const index = (i + round * shift) % measurements.length;
      const { server, route } = measurements[index];
      const run = await measure(server, route, options);
      runs[index].push(run);
      const rate = `${Math.round(run.requestsPerSec)} req/s`;
      const cpu = `${run.serverCpuUs.toFixed(1)} µs server CPU/req`;
      const helper = run.helperCpuUs >= 0.5 ? `, ${run.helperCpuUs.toFixed(1)} µs helpers` : '';
      const other = `${Math.round(run.otherLoad * 100)}% other load`;
      log(`round ${round + 1}/${rounds} ${server} ${route}: ${rate}, ${cpu}${helper}, ${other}`);
    }
  }

  const results = {};
  measurements.forEach(({ server, route }, index) => {
    results[server] ??= {};
    results[server][route] = { runs: runs[index], response: runs[index][0].response };
  });
  return results;
}

/**
 * Medians over a measurement's rounds: the undisturbed ones when there are any (`clean`), else
 * all of them; with `{ all: true }`, all of them in any case.
 */
export function summarize(runs, { all = false } = {}) {
  const list = all ? runs : undisturbed(runs);
  const pick = (key) => median(list.map((run) => run[key]));
  return {
    requestsPerSec: pick('requestsPerSec'),
    p50: pick('p50'),
    p99: pick('p99'),
    serverCpuUs: pick('serverCpuUs'),
    helperCpuUs: pick('helperCpuUs'),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    otherLoad: Math.max(...list.map((run) => run.otherLoad)),
    clean: runs.some((run) => run.otherLoad <= BUSY),
  };
}
