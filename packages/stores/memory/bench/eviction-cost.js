// Cost of an insert into a full memory store (each insert evicts one session) and of a read,
// at 1,000, 100,000 and 1,000,000 entries, as ratios against 1,000 measured in the same run
// (issue 17.3). Not a test: timings depend on the machine. Run after building:
//   npm run bench -w @fetch-session/memory   (or: node bench/eviction-cost.js [module])
// The optional module path benchmarks another build of the store (an older one, say).
//
// A bare Map is measured alongside as the floor (an awaited get; a set plus a delete of the
// oldest key, found by arithmetic). Its cost grows with size too, from cache misses alone,
// so "vs Map" (store cost / Map cost at the same size) is what the store's design adds.
import { pathToFileURL } from 'node:url';

const modulePath = process.argv[2];
const { memoryStore } = await import(
  modulePath === undefined ? '../dist/index.js' : pathToFileURL(modulePath).href
);

const sizes = [1_000, 100_000, 1_000_000];
const rounds = 5;
const insertsPerRound = 50_000;
const readsPerRound = 200_000;
const patch = {
  meta: { createdAt: 0, lastSeenAt: 0, permanent: false },
  set: { 'd:user': '"ada"', 'd:count': '1' },
  delete: [],
};
const create = { mode: 'create', expiresAt: Number.MAX_SAFE_INTEGER };
// Store keys are 43-character hashes in real use; these are as long.
const keyOf = (i) => `k${i.toString(36).padStart(42, '0')}`;
// CPU time of this process (all its threads, the collector's included), not wall-clock time:
// on a shared machine the wall clock also counts time spent waiting for a core.
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median CPU µs per call of `step(i)` over `rounds` rounds of `count` calls. */
async function perCall(count, step) {
  const costs = [];
  for (let round = 0; round < rounds; round++) {
    const start = cpuMicros();
    for (let i = 0; i < count; i++) await step(i);
    costs.push((cpuMicros() - start) / count);
  }
  return median(costs);
}

function randomIndex() {
  let seed = 1;
  return (length) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % length;
  };
}

async function measureStore(size) {
  const store = memoryStore({ maxEntries: size, maxBytes: Number.POSITIVE_INFINITY });
  let next = 0;
  while (next < size) await store.write(keyOf(next++), patch, create);
  // One pass of evictions first, so every measured insert finds a full store in steady state.
  for (let i = 0; i < Math.min(size, insertsPerRound); i++)
    await store.write(keyOf(next++), patch, create);
  const insert = await perCall(insertsPerRound, () => store.write(keyOf(next++), patch, create));

  // Eviction is approximate LRU, so which keys are live is found by asking; reads evict
  // nothing, so the set holds while they run.
  const live = [];
  for (let i = Math.max(0, next - 2 * size); i < next; i++)
    if ((await store.load(keyOf(i))) !== undefined) live.push(keyOf(i));
  const pick = randomIndex();
  const read = await perCall(readsPerRound, async () => {
    if ((await store.load(live[pick(live.length)])) === undefined)
      throw new Error('a live session was not found');
  });
  if (store.size !== size) throw new Error(`store holds ${store.size}, expected ${size}`);
  return { insert, read };
}

async function measureMap(size) {
  const map = new Map();
  const value = () => ({ expiresAt: Number.MAX_SAFE_INTEGER, stamp: 0, record: patch });
  let next = 0;
  while (next < size) map.set(keyOf(next++), value());
  const get = async (key) => map.get(key);
  const insert = await perCall(insertsPerRound, async () => {
    map.set(keyOf(next), value());
    map.delete(keyOf(next++ - size));
  });
  const live = Array.from({ length: size }, (_, i) => keyOf(next - size + i));
  const pick = randomIndex();
  const read = await perCall(readsPerRound, async () => {
    if ((await get(live[pick(live.length)])) === undefined) throw new Error('missing');
  });
  return { insert, read };
}

// Collect the previous measurement's garbage first, so no phase pays for another's (needs
// node --expose-gc, as the package's bench script runs it).
const collect = () => globalThis.gc?.();
const results = [];
for (const size of sizes) {
  collect();
  const map = await measureMap(size);
  collect();
  results.push({ size, store: await measureStore(size), map });
}
const [base] = results;
const cell = (value, width) => value.toFixed(value < 10 ? 2 : 1).padStart(width);
console.log(
  `memory store, Node ${process.version}, CPU µs per operation, median of ${rounds} rounds`,
);
console.log('entries  | insert µs  vs 1k  vs Map  Map µs | read µs  vs 1k  vs Map  Map µs');
for (const { size, store, map } of results) {
  const insertVsMap = store.insert / map.insert;
  const readVsMap = store.read / map.read;
  console.log(
    `${String(size).padStart(8)} | ${cell(store.insert, 9)} ${cell(store.insert / base.store.insert, 5)}x` +
      ` ${cell(insertVsMap, 5)}x ${cell(map.insert, 7)} | ${cell(store.read, 7)} ${cell(store.read / base.store.read, 5)}x` +
      ` ${cell(readVsMap, 5)}x ${cell(map.read, 7)}`,
  );
}
const last = results.at(-1);
console.log(
  `1M vs 1k, over the Map floor: insert ${cell(last.store.insert / last.map.insert / (base.store.insert / base.map.insert), 4)}x,` +
    ` read ${cell(last.store.read / last.map.read / (base.store.read / base.map.read), 4)}x`,
);
