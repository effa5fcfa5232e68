/**
 * Workers KV under a burst, at the request level: the Cloudflare KV store package's test Worker
 * (session manager + cloudflareKvStore inside workerd via Miniflare, its KV binding wrapped by
 * test/worker/counting-kv.ts) takes bursts of session requests; KV allows one write per key per
 * second, so the PUTs the store makes to a session's key must start at least 1 s apart, and
 * every request's key must still be in the session afterwards (coalesced, not dropped).
 *
 * The store's own write-rate test drives `store.write` directly; this one goes through HTTP
 * requests, cookies and the session manager's load/commit, as an application would.
 */
import { stop as stopEsbuild } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startTestWorker,
  type TestWorker,
} from '../packages/stores/cloudflare-kv/test/helpers/test-worker.js';
import type { KvCall } from '../packages/stores/cloudflare-kv/test/worker/counting-kv.js';
import { KV_STREAM_MS } from './support/knobs.js';
import { childProcesses } from './support/leaks.js';
import { eachLimited } from './support/visitors.js';

const KV_WRITE_INTERVAL_MS = 1_000;

let worker: TestWorker | undefined;

beforeAll(async () => {
  worker = await startTestWorker();
  await stopEsbuild(); // the bundle is built; its service process would outlive the file
});

afterAll(async () => {
  await worker?.dispose();
  expect(childProcesses(), 'processes left behind').toEqual([]);
});

interface Visit {
  readonly status: number;
  readonly body: { keys?: string[]; count?: number };
  readonly setCookie: string | null;
}

async function visit(path: string, cookie = ''): Promise<Visit> {
  const response = await (worker as TestWorker).fetch(path, {
    headers: cookie === '' ? {} : { cookie },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: response.ok ? (JSON.parse(text) as Visit['body']) : {},
    setCookie: response.headers.get('set-cookie'),
  };
}

/** A new session in the Worker's app; its cookie (`name=value`). */
async function newSession(): Promise<string> {
  const created = await visit('/app/count');
  expect(created.status).toBe(200);
  return (created.setCookie as string).split(';')[0] as string;
}

/** The KV writes since the last look, grouped by key, in call order. */
async function writesByKey(): Promise<Map<string, KvCall[]>> {
  const calls = await (worker as TestWorker).json<KvCall[]>('/kv/calls');
  const byKey = new Map<string, KvCall[]>();
  for (const call of calls) {
    if (call.op === 'get') continue;
    byKey.set(call.key, [...(byKey.get(call.key) ?? []), call]);
  }
  return byKey;
}

/** Gaps between consecutive writes of each key, smallest first. */
function gaps(byKey: Map<string, KvCall[]>): number[] {
  const all: number[] = [];
  for (const writes of byKey.values()) {
    for (let i = 1; i < writes.length; i++) {
      all.push((writes[i] as KvCall).at - (writes[i - 1] as KvCall).at);
    }
  }
  return all.sort((a, b) => a - b);
}

it('a burst of 50 requests on one session: one write per second to its key, all 50 keys kept', async () => {
  await writesByKey(); // start counting here: the session's creation is its key's first write
  const cookie = await newSession();
  const started = Date.now();
  const burst = await Promise.all(
    Array.from({ length: 50 }, (_, i) => visit(`/app/set?key=burst${i}&value=${i}`, cookie)),
  );
  const elapsed = Date.now() - started;
  expect(burst.map((r) => r.status)).toEqual(Array(50).fill(200));
  expect(burst.filter((r) => r.setCookie !== null)).toEqual([]);

  const byKey = await writesByKey();
  expect(byKey.size, 'one session, one key').toBe(1);
  const [writes = []] = [...byKey.values()];
  // The creation, then the whole burst merged into one write, a second later.
  expect(writes.map((w) => w.op)).toEqual(['put', 'put']);
  // Gaps on the Worker's clock, where the store keeps its interval: a busy machine only
  // widens them. (No assertion on this process's elapsed time: issue 11.3.)
  expect(gaps(byKey).every((gap) => gap >= KV_WRITE_INTERVAL_MS)).toBe(true);

  const probe = await visit('/app/set?key=probe&value=1', cookie);
  const expected = ['count', 'probe', ...Array.from({ length: 50 }, (_, i) => `burst${i}`)];
  expect([...(probe.body.keys ?? [])].sort()).toEqual(expected.sort());
  console.log(
    `[kv burst] 50 requests on one session in ${elapsed} ms: ${writes.length} KV writes to its ` +
      `key (creation included), ${gaps(byKey)[0]} ms apart`,
  );
});

it(`sustained bursts on 5 sessions for ${KV_STREAM_MS} ms: at most one write per key per second, nothing lost`, async () => {
  const cookies = await Promise.all(Array.from({ length: 5 }, () => newSession()));
  await writesByKey();
  const sent = cookies.map(() => [] as string[]);
  const statuses: number[] = [];
  const cookiesSet: string[] = [];
  const started = Date.now();
  const end = started + KV_STREAM_MS;
  let next = 0;
  // Ten requests in flight per session, each setting a new key, until the deadline.
  await eachLimited(
    cookies.flatMap((cookie, s) => Array.from({ length: 10 }, () => ({ cookie, s }))),
    50,
    async ({ cookie, s }) => {
      while (Date.now() < end) {
        const key = `k${next++}`;
        const response = await visit(`/app/set?key=${key}&value=1`, cookie);
        statuses.push(response.status);
        if (response.setCookie !== null) cookiesSet.push(response.setCookie);
        if (response.status === 200) sent[s]?.push(key);
      }
    },
  );
  const elapsed = Date.now() - started;
  const byKey = await writesByKey();
  const writeGaps = gaps(byKey);
  const writes = [...byKey.values()].reduce((sum, w) => sum + w.length, 0);

  expect(statuses.filter((status) => status !== 200)).toEqual([]);
  expect(cookiesSet).toEqual([]);
  expect(byKey.size).toBe(5);
  expect(writeGaps[0], 'smallest gap between two writes of one key').toBeGreaterThanOrEqual(
    KV_WRITE_INTERVAL_MS,
  );
  // At most one write per interval per key follows from the smallest gap, measured on the
  // Worker's clock; no bound from this process's elapsed time (it flakes under load: 11.3).
  for (const [s, cookie] of cookies.entries()) {
    const probe = await visit('/app/set?key=probe&value=1', cookie);
    const keys = new Set(probe.body.keys ?? []);
    expect(
      (sent[s] ?? []).filter((key) => !keys.has(key)),
      `session ${s}: keys lost`,
    ).toEqual([]);
  }
  console.log(
    `[kv sustained] ${statuses.length} requests on 5 sessions in ${elapsed} ms: ${writes} KV ` +
      `writes; smallest gap per key ${writeGaps[0]} ms`,
  );
});
