import type { SessionPatch } from '@fetch-session/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from './helpers/client.js';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';

// TTLs as KV itself reports them (list() expirations, in seconds), set by the store in workerd.
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.dispose();
});

let counter = 0;
const key = (): string => `ttl:${Date.now()}:${++counter}`;
const patch = (set: Record<string, string> = { 'd:a': '1' }): SessionPatch => ({
  meta: { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false },
  set,
  delete: [],
});
const expirationOf = async (name: string): Promise<number | undefined> =>
  (await listKeys(worker, name)).find((listed) => listed.name === name)?.expiration;

describe('KV expiration set by the store (seen through list())', () => {
  it("S18: a short lifetime is clamped to KV's 60 s floor, never refused", async () => {
    const k = key();
    const before = Math.floor(Date.now() / 1000);
    const outcome = await worker
      .store()
      .write(k, patch(), { mode: 'create', expiresAt: Date.now() + 5_000 });
    expect(outcome).toBe('ok');
    const expiration = await expirationOf(k);
    expect(expiration).toBeGreaterThanOrEqual(before + 60);
    expect(expiration).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 61);
  });

  it('S18: a lifetime past the floor is exactly expiresAt, rounded up to the second', async () => {
    const k = key();
    const expiresAt = Date.now() + 2 * 3_600_000 + 123;
    await worker.store().write(k, patch(), { mode: 'create', expiresAt });
    expect(await expirationOf(k)).toBe(Math.ceil(expiresAt / 1000));
  });

  it('S18: touch and update move the KV expiration', async () => {
    const k = key();
    const store = worker.store();
    const first = Date.now() + 3_600_000;
    await store.write(k, patch(), { mode: 'create', expiresAt: first });
    const touched = first + 600_000;
    const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: true };
    expect(await store.touch?.(k, meta, { expiresAt: touched })).toBe('ok');
    expect(await expirationOf(k)).toBe(Math.ceil(touched / 1000));
    const updated = touched + 600_000;
    await store.write(k, patch({ 'd:b': '2' }), { mode: 'update', expiresAt: updated });
    expect(await expirationOf(k)).toBe(Math.ceil(updated / 1000));
  });

  it('S17: below the floor, load refuses the record once its expiresAt passes, though KV keeps it', async () => {
    const k = key();
    // On the Worker's test clock, which moves only when told: a busy machine cannot let the
    // 400 ms pass before the first load.
    const store = worker.store('/clocked');
    const now = await worker.json<number>('/clock/now');
    await store.write(k, patch(), { mode: 'create', expiresAt: now + 400 });
    expect(await store.load(k)).toBeDefined();
    const later = await worker.json<number>('/clock/advance', { ms: 600 });
    expect(await store.load(k)).toBeUndefined();
    expect(await expirationOf(k)).toBeDefined(); // still in KV until its 60 s TTL
    expect(await store.write(k, patch(), { mode: 'update', expiresAt: later + 60_000 })).toBe(
      'conflict',
    );
    expect(
      await store.write(k, patch({ 'd:new': '1' }), {
        mode: 'create',
        expiresAt: later + 60_000,
      }),
    ).toBe('ok');
    expect((await store.load(k))?.fields).toEqual({ 'd:new': '1' });
  });

  it('deletes the KV key on delete', async () => {
    const k = key();
    await worker.store().write(k, patch(), { mode: 'create', expiresAt: Date.now() + 60_000 });
    await worker.store().delete(k);
    expect(await listKeys(worker, k)).toEqual([]);
  });
});

describe('KV expiration through a session manager in the Worker', () => {
  it('a 30 s idle timeout still gets a KV TTL of at least 60 s', async () => {
    const before = Math.floor(Date.now() / 1000);
    await worker.fetch('/short/app/count');
    const [listed, ...others] = await listKeys(worker, 'short:');
    expect(others).toEqual([]);
    expect(listed?.expiration).toBeGreaterThanOrEqual(before + 60);
  });

  it('the default 1-day idle timeout gets exactly lastSeenAt + 1 day', async () => {
    await worker.fetch('/app/count');
    const [listed] = await listKeys(worker, 'app:');
    const stored = JSON.parse(
      await worker.json<string>(`/kv/get?key=${encodeURIComponent(listed?.name ?? '')}`),
    ) as { meta: { lastSeenAt: number }; expiresAt: number };
    expect(stored.expiresAt).toBe(stored.meta.lastSeenAt + 86_400_000);
    expect(listed?.expiration).toBe(Math.ceil(stored.expiresAt / 1000));
  });
});
