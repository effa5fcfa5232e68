import type { SessionPatch } from '@fetch-session/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';
import type { KvCall } from './worker/counting-kv.js';

// KV allows one write per second per key; Miniflare does not enforce it, so the store's own
// spacing is measured from the KV calls it makes inside workerd, and KV's 429 is injected.
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.dispose();
});

let counter = 0;
const key = (): string => `rate:${Date.now()}:${++counter}`;
const patch = (set: Record<string, string>): SessionPatch => ({
  meta: { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false },
  set,
  delete: [],
});
const later = (): number => Date.now() + 3_600_000;
const writesTo = async (k: string): Promise<KvCall[]> =>
  (await worker.json<KvCall[]>('/kv/calls')).filter((call) => call.key === k && call.op !== 'get');

describe('at most one KV write per key per second from an isolate', () => {
  it('merges 50 concurrent patches into one write, a second after the previous one', async () => {
    const store = worker.store();
    const k = key();
    await worker.json('/kv/calls');
    await store.write(k, patch({ 'd:base': '0' }), { mode: 'create', expiresAt: later() });
    // Sent in one request and started together inside the isolate, as 50 concurrent requests
    // of a busy isolate would be: 50 separate requests from this process can take longer than
    // the write interval to arrive on a loaded machine.
    const { result: outcomes } = await worker.json<{ result: string[] }>(
      '/store/writeConcurrently',
      {
        key: k,
        patches: Array.from({ length: 50 }, (_, i) => patch({ [`d:k${i}`]: String(i) })),
        options: { mode: 'update', expiresAt: later() },
      },
    );
    expect(new Set(outcomes)).toEqual(new Set(['ok']));
    const [create, merged, ...more] = await writesTo(k);
    expect(more).toEqual([]);
    expect(merged!.at - create!.at).toBeGreaterThanOrEqual(1_000);
    expect(Object.keys((await store.load(k))?.fields ?? {})).toHaveLength(51);
  });

  it('spaces sequential writes to one key at least a second apart', async () => {
    const store = worker.store();
    const k = key();
    await worker.json('/kv/calls');
    await store.write(k, patch({ 'd:a': '0' }), { mode: 'create', expiresAt: later() });
    for (let i = 1; i <= 2; i++) {
      await store.write(k, patch({ 'd:a': String(i) }), { mode: 'update', expiresAt: later() });
    }
    await store.delete(k);
    const writes = await writesTo(k);
    expect(writes.map((call) => call.op)).toEqual(['put', 'put', 'put', 'delete']);
    for (let i = 1; i < writes.length; i++) {
      expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('does not delay writes to different keys', async () => {
    const keys = Array.from({ length: 20 }, key);
    await worker.json('/kv/calls');
    // Started together inside the isolate; no clock involved: if writes to different keys
    // waited for one another, a key's read would follow another key's write.
    const { result: outcomes } = await worker.json<{ result: string[] }>('/store/writeEach', {
      keys,
      patch: patch({ 'd:a': '1' }),
      options: { mode: 'create', expiresAt: later() },
    });
    expect(outcomes).toEqual(keys.map(() => 'ok'));
    const calls = (await worker.json<KvCall[]>('/kv/calls')).filter((call) =>
      keys.includes(call.key),
    );
    expect(calls.filter((call) => call.op === 'get')).toHaveLength(20);
    expect(calls.filter((call) => call.op === 'put')).toHaveLength(20);
    const firstPut = calls.findIndex((call) => call.op === 'put');
    expect(calls.slice(0, firstPut).map((call) => call.op)).toEqual(keys.map(() => 'get'));
  });
});

describe("KV's 429 (rate limited)", () => {
  const flaky = (): ReturnType<TestWorker['store']> => worker.store('/flaky');
  const failWrites = (count: number, message?: string) =>
    worker.json<{ attempts: number }>('/flaky/fail', { count, message });

  it('retries a 429 with backoff, a bounded number of times, then succeeds', async () => {
    const k = key();
    await failWrites(2);
    expect(
      await flaky().write(k, patch({ 'd:a': '1' }), { mode: 'create', expiresAt: later() }),
    ).toBe('ok');
    expect((await failWrites(0)).attempts).toBe(3);
    expect((await flaky().load(k))?.fields).toEqual({ 'd:a': '1' });
  });

  it('surfaces a 429 past maxRetries as a redacted error (S24), never a silent drop', async () => {
    const k = key();
    await failWrites(3); // maxRetries is 2 for this store
    const error = await flaky()
      .write(k, patch({ 'd:a': '1' }), { mode: 'create', expiresAt: later() })
      .catch((e: unknown) => e);
    // The core wraps it in one SessionStoreError (test/unit/errors.test.ts).
    expect(error).toMatchObject({ message: 'details redacted' });
    expect((error as { original: string }).original).toContain('429');
    expect((await failWrites(0)).attempts).toBe(3);
    expect(await flaky().load(k)).toBeUndefined();
  });

  it('retries a rate-limited delete too', async () => {
    const k = key();
    await flaky().write(k, patch({ 'd:a': '1' }), { mode: 'create', expiresAt: later() });
    await failWrites(1, 'KV DELETE failed: 429 Too Many Requests');
    await flaky().delete(k);
    expect((await failWrites(0)).attempts).toBe(2); // the refused delete and its retry
    expect(await worker.json(`/kv/get?key=${k}`)).toBeNull();
  });

  it('does not retry other errors', async () => {
    await failWrites(1, 'KV PUT failed: 500 Internal Server Error');
    const error = await flaky()
      .write(key(), patch({ 'd:a': '1' }), { mode: 'create', expiresAt: later() })
      .catch((e: unknown) => e);
    expect((error as { original: string }).original).toContain('500');
    expect((await failWrites(0)).attempts).toBe(1);
  });
});
