/**
 * How fetch-session scales with the number of live sessions, in process (no HTTP):
 *
 * - bytes per live session in the memory store (with the verified-cookie cache) at 1k, 100k, 1M
 * - read latency at each size, uniform access over all live sessions
 * - commit cost with 1 field, 50 fields and one 100 KB field
 * - verify cost with 3 secrets: cookie of the newest secret, of the oldest, forged
 * - the memory store alone (no manager): insert into a full store and load at each size,
 *   next to a bare `Map` doing the same in the same run (what the hardware and V8 cost)
 *
 *   npm run bench:scaling                         # builds core and memory first
 *   node --expose-gc bench/scaling.js [--quick]   # --quick: 1k and 10k sessions, a smoke run
 *
 * Ratios compare figures measured in this run. Nothing is asserted. Results go to stdout and
 * bench/results/scaling.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { percentile } from './stats.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc (npm run bench:scaling does)');
  process.exit(1);
}
const QUICK = process.argv.includes('--quick');
const SIZES = QUICK ? [1_000, 10_000] : [1_000, 100_000, 1_000_000];
const READS = QUICK ? 5_000 : 50_000;
const SECRETS = [
  'scaling-bench-secret-newest-0123456789abcdef',
  'scaling-bench-secret-middle-0123456789abcdef',
  'scaling-bench-secret-oldest-0123456789abcdef',
];
const log = (line) => process.stderr.write(`${line}\n`);

function heapBytes() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

function cookieOf(sessions, setCookie) {
  return `${sessions.cookieName}=${setCookie.split(';')[0].slice(sessions.cookieName.length + 1)}`;
}

async function createOne(sessions, fields) {
  const session = sessions.open(null);
  for (const [key, value] of Object.entries(fields)) await session.set(key, value);
  const { setCookie } = await sessions.commit(session);
  return cookieOf(sessions, setCookie);
}

/** One request that reads `count` and commits (nothing changed: no write). */
async function read(sessions, cookie) {
  const session = sessions.open(cookie);
  await session.get('count');
  await sessions.commit(session);
}

/** Per-operation times in µs of `run(i)` for `n` iterations, after `n / 10` warm-up ones. */
async function timeEach(n, run) {
  for (let i = 0; i < Math.ceil(n / 10); i++) await run(i);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    times[i] = (performance.now() - t0) * 1000;
  }
  times.sort();
  let sum = 0;
  for (const t of times) sum += t;
  return { meanUs: sum / n, p50Us: percentile(times, 50), p99Us: percentile(times, 99) };
}

/** A request without sessions: the floor every figure sits on. */
async function baseline() {
  const handler = (request) =>
    new Response(`count=${request.headers.get('cookie')?.length ?? 0}`, {
      headers: { vary: 'Cookie' },
    });
  return timeEach(READS, async () => {
    const response = handler(new Request('http://localhost/', { headers: { cookie: 'sid=x' } }));
    await response.text();
  });
}

async function scaleTo(size) {
  let store = memoryStore({ maxEntries: size, maxBytes: Number.POSITIVE_INFINITY });
  let sessions = createSessionManager({ store, secrets: SECRETS[0] });
  let cookies = new Array(size);
  const t0 = performance.now();
  for (let i = 0; i < size; i++) cookies[i] = await createOne(sessions, { count: i });
  const createUs = ((performance.now() - t0) * 1000) / size;
  const withSessions = heapBytes();
  // Uniform access: every read picks any live session, so past the cache's 10,000 entries
  // most reads verify their cookie again.
  const reads = await timeEach(READS, () =>
    read(sessions, cookies[Math.floor(Math.random() * size)]),
  );
  if (store.size !== size) throw new Error(`store holds ${store.size}, expected ${size}`);
  // What the cookie list costs is measured by dropping the sessions and keeping it.
  sessions = undefined;
  store = undefined;
  const cookiesOnly = heapBytes();
  cookies = undefined;
  const perSession = (withSessions - cookiesOnly) / size;
  log(`${size}: ${Math.round(perSession)} B/session, read ${reads.meanUs.toFixed(1)} µs`);
  return { size, perSession, createUs, reads, heapMb: (withSessions - cookiesOnly) / 2 ** 20 };
}

/**
 * The memory store alone at `size` live records, next to a bare `Map` of the same keys: the
 * cost of an insert into a full store (one eviction each) and of a load, uniform access. A
 * `Map` past the CPU caches slows down by itself; its ratio is the floor of the store's.
 */
async function storeAlone(size) {
  const keys = Array.from({ length: size }, (_, i) => `sk:${i.toString(36).padStart(8, '0')}`);
  const record = {
    meta: { createdAt: 0, lastSeenAt: 0, permanent: false },
    set: { count: '1' },
    delete: [],
  };
  const options = { mode: 'create', expiresAt: Number.POSITIVE_INFINITY };
  const store = memoryStore({ maxEntries: size, maxBytes: Number.POSITIVE_INFINITY });
  const map = new Map();
  for (const key of keys) {
    await store.write(key, record, options);
    map.set(key, record);
  }
  let fresh = 0;
  const n = Math.min(READS, 20_000);
  const insert = await timeEach(n, () => store.write(`new:${fresh++}`, record, options));
  let mapFresh = 0;
  // No eviction: `map.keys().next()` on a Map with deleted slots is the slow path issue 17
  // found, so the floor is a plain insert.
  const mapInsert = await timeEach(n, async () => {
    map.set(`new:${mapFresh++}`, record);
  });
  const pick = () => keys[Math.floor(Math.random() * size)];
  const load = await timeEach(n, () => store.load(pick()));
  const mapLoad = await timeEach(n, async () => map.get(pick()));
  log(
    `store alone ${size}: insert ${insert.p50Us.toFixed(2)} µs, load ${load.p50Us.toFixed(2)} µs`,
  );
  return { size, insert, mapInsert, load, mapLoad };
}

async function commits() {
  const sessions = createSessionManager({ store: memoryStore(), secrets: SECRETS[0] });
  const cases = {
    '1 field': { n: 5_000, fields: (i) => ({ f0: i }) },
    '50 fields': {
      n: 1_000,
      fields: (i) => Object.fromEntries(Array.from({ length: 50 }, (_, f) => [`f${f}`, i + f])),
    },
    'one 100 KB field': { n: 200, fields: (i) => ({ big: `${i}`.padEnd(100 * 1024, 'x') }) },
  };
  const results = {};
  for (const [label, { n, fields }] of Object.entries(cases)) {
    const cookie = await createOne(sessions, fields(0));
    const values = Array.from({ length: n + Math.ceil(n / 10) }, (_, i) => fields(i + 1));
    let next = 0;
    // One request changing every field of an existing session and committing it (a write).
    results[label] = await timeEach(n, async () => {
      const session = sessions.open(cookie);
      for (const [key, value] of Object.entries(values[next++])) await session.set(key, value);
      await sessions.commit(session);
    });
    log(`commit ${label}: ${results[label].meanUs.toFixed(1)} µs`);
  }
  return results;
}

async function verifies() {
  const store = memoryStore();
  // verifiedCookieCacheSize 0: every request verifies its cookie, as a cache miss does.
  const sessions = createSessionManager({ store, secrets: SECRETS, verifiedCookieCacheSize: 0 });
  const cached = createSessionManager({ store, secrets: SECRETS });
  const old = createSessionManager({ store, secrets: SECRETS[2] });
  const newest = await createOne(sessions, { count: 1 });
  const oldest = await createOne(old, { count: 1 });
  const forged = `${newest.slice(0, 4 + 44)}${'A'.repeat(42)}Q`;
  await read(cached, newest);
  const cases = {
    'cached (no verify)': () => read(cached, newest),
    'newest secret': () => read(sessions, newest),
    // Re-signed with the newest on every response, since the cache does not remember it.
    'oldest secret': () => read(sessions, oldest),
    'forged (no store call)': () => read(sessions, forged),
  };
  const results = {};
  for (const [label, run] of Object.entries(cases)) {
    results[label] = await timeEach(READS / 5, run);
    log(`verify ${label}: ${results[label].meanUs.toFixed(1)} µs`);
  }
  return results;
}

const us = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

const floor = await baseline();
log(`baseline: ${floor.meanUs.toFixed(2)} µs`);
const sizes = [];
for (const size of SIZES) sizes.push(await scaleTo(size));
const alone = [];
for (const size of SIZES) alone.push(await storeAlone(size));
const commit = await commits();
const verify = await verifies();

const [first] = sizes;
const lines = [
  '# Scaling: live sessions, commit size, secrets',
  '',
  `Generated by \`npm run bench:scaling\` on ${new Date().toISOString()}: Node ${process.version},`,
  `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} at the end${QUICK ? ', --quick' : ''}.`,
  'In process, memory store, one request = open + get + commit. Times in µs per request.',
  `Floor (a Request and a Response, no session): ${us(floor.p50Us)} µs p50, ${us(floor.meanUs)} µs mean.`,
  'Ratios compare medians (p50), which a busy machine disturbs least; means include its pauses.',
  '',
  '## Live sessions (uniform access)',
  '',
  '| Live sessions | Bytes per session | Heap for sessions | Create (mean) | Read mean | Read p50 | Read p99 | Read vs 1k |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...sizes.map(
    (s) =>
      `| ${s.size.toLocaleString('en')} | ${Math.round(s.perSession)} | ${s.heapMb.toFixed(1)} MB | ${us(s.createUs)} | ${us(s.reads.meanUs)} | ${us(s.reads.p50Us)} | ${us(s.reads.p99Us)} | ${ratio(s.reads.p50Us, first.reads.p50Us)} |`,
  ),
  '',
  'Bytes per session: heap (used + external) with the store, the manager and its',
  'verified-cookie cache (at most 10,000 entries) minus the heap once they are dropped.',
  'Reads pick a session uniformly at random; past the cache size most reads verify again.',
  '',
  '## The memory store alone, next to a bare Map (issue 17: insert within 1.2x, read within 2x of 1k)',
  '',
  '| Live records | Store insert p50 | vs 1k | Map set p50 | vs 1k | Store load p50 | vs 1k | Map get p50 | vs 1k |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...alone.map(
    (a) =>
      `| ${a.size.toLocaleString('en')} | ${us(a.insert.p50Us)} | ${ratio(a.insert.p50Us, alone[0].insert.p50Us)} | ${us(a.mapInsert.p50Us)} | ${ratio(a.mapInsert.p50Us, alone[0].mapInsert.p50Us)} | ${us(a.load.p50Us)} | ${ratio(a.load.p50Us, alone[0].load.p50Us)} | ${us(a.mapLoad.p50Us)} | ${ratio(a.mapLoad.p50Us, alone[0].mapLoad.p50Us)} |`,
  ),
  '',
  'Each insert goes into a full store (one eviction); loads pick a record uniformly at random.',
  'Timed one call at a time with `performance.now()` (about 0.1 µs of its own), p50 of',
  `${Math.min(READS, 20_000).toLocaleString('en')} calls; the Map columns are the floor any store in a Map sits on.`,
  '',
  '## Commit (one request changing every field of an existing session)',
  '',
  '| Fields | Mean | p50 | p99 | vs 1 field |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...Object.entries(commit).map(
    ([label, r]) =>
      `| ${label} | ${us(r.meanUs)} | ${us(r.p50Us)} | ${us(r.p99Us)} | ${ratio(r.p50Us, commit['1 field'].p50Us)} |`,
  ),
  '',
  '## Verify with 3 secrets (verified-cookie cache off, so every request verifies)',
  '',
  '| Cookie | Mean | p50 | p99 | vs cached |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...Object.entries(verify).map(
    ([label, r]) =>
      `| ${label} | ${us(r.meanUs)} | ${us(r.p50Us)} | ${us(r.p99Us)} | ${ratio(r.p50Us, verify['cached (no verify)'].p50Us)} |`,
  ),
  '',
  'An oldest-secret cookie costs 3 MACs to verify and 1 to re-sign; a forged one 3 MACs and',
  'no store call (decision 0010).',
  '',
];
const markdown = lines.join('\n');
if (!QUICK) writeFileSync(new URL('./results/scaling.md', import.meta.url), markdown);
process.stdout.write(markdown);
