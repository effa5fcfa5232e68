import { createHash } from 'node:crypto';
import type { SessionMeta, SessionPatch } from '@fetch-session/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListedKey, listKeys } from './helpers/client.js';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';
import type { KvCall } from './worker/counting-kv.js';

// The per-user index as KV itself holds it (list() names, expirations and metadata), written
// by the store running in workerd.
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.dispose();
});

const INDEX = 'user-sessions:';
let counter = 0;
const key = (): string => `index:${Date.now()}:${++counter}`;
const user = (): string => `user-${Date.now()}-${++counter}@example.test`;
const meta = (overrides: Partial<SessionMeta> = {}): SessionMeta => ({
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
  permanent: false,
  ...overrides,
});
const patch = (m: SessionMeta, set: Record<string, string> = { 'd:a': '1' }): SessionPatch => ({
  meta: m,
  set,
  delete: [],
});
/** The index key prefix of a user, computed here the way the store does in the Worker. */
const prefixOf = (userId: string): string =>
  `${INDEX}${createHash('sha256').update(userId).digest('base64url')}:`;
/** The index entries of one session, of any user. */
const entriesOf = async (k: string): Promise<ListedKey[]> =>
  (await listKeys(worker, INDEX)).filter((listed) => listed.name.endsWith(`:${k}`));
const expirationOf = async (name: string): Promise<number | undefined> =>
  (await listKeys(worker, name)).find((listed) => listed.name === name)?.expiration;

describe('the per-user index in KV (seen through list())', () => {
  it('one entry per bound session: hashed user, the session key, its expiration, small metadata', async () => {
    const store = worker.store();
    const [k, ada] = [key(), user()];
    const m = meta({ userId: ada, device: 'Firefox on Linux' });
    const expiresAt = Date.now() + 2 * 3_600_000 + 123;
    await store.write(k, patch(m), { mode: 'create', expiresAt });
    const [entry, ...more] = await entriesOf(k);
    expect(more).toEqual([]);
    expect(entry?.name).toBe(prefixOf(ada) + k);
    expect(entry?.name).toMatch(/^user-sessions:[\w-]{43}:index:/);
    expect(entry?.name).not.toContain('example.test'); // no user ID in key names
    expect(entry?.expiration).toBe(Math.ceil(expiresAt / 1000));
    expect(entry?.expiration).toBe(await expirationOf(k)); // the session's own
    expect(entry?.metadata).toEqual({
      v: 1,
      c: m.createdAt,
      l: m.lastSeenAt,
      p: false,
      e: expiresAt,
      d: 'Firefox on Linux',
    });
    expect(await worker.json(`/kv/get?key=${encodeURIComponent(entry?.name ?? '')}`)).toBe('');
    expect(await store.listUserSessions?.(ada)).toEqual([{ key: k, meta: m }]);
  });

  it('no entry for a session without a user', async () => {
    const k = key();
    await worker
      .store()
      .write(k, patch(meta()), { mode: 'create', expiresAt: Date.now() + 60_000 });
    expect(await expirationOf(k)).toBeDefined();
    expect(await entriesOf(k)).toEqual([]);
  });

  it('follows touch (expiration and lastSeenAt), a change of user, and delete', async () => {
    const store = worker.store();
    const [k, ada, grace] = [key(), user(), user()];
    const first = Date.now() + 3_600_000;
    await store.write(k, patch(meta({ userId: ada })), { mode: 'create', expiresAt: first });
    const touched = meta({ userId: ada, lastSeenAt: Date.now() + 5 });
    await store.touch?.(k, touched, { expiresAt: first + 600_000 });
    const [entry] = await entriesOf(k);
    expect(entry?.expiration).toBe(Math.ceil((first + 600_000) / 1000));
    expect(entry?.metadata).toMatchObject({ l: touched.lastSeenAt });
    expect((await store.listUserSessions?.(ada))?.map((e) => e.meta)).toEqual([touched]);

    await store.write(k, patch(meta({ userId: grace })), { mode: 'update', expiresAt: first });
    expect((await entriesOf(k)).map((listed) => listed.name)).toEqual([prefixOf(grace) + k]);
    expect(await store.listUserSessions?.(ada)).toEqual([]);
    expect((await store.listUserSessions?.(grace))?.map((e) => e.key)).toEqual([k]);

    await store.delete(k);
    expect(await entriesOf(k)).toEqual([]);
    expect(await listKeys(worker, k)).toEqual([]);
  });

  it("S18: a short lifetime gets KV's 60 s floor on the entry too; listing drops it past expiresAt", async () => {
    // On the Worker's test clock (moved only when told), so the listing before expiry cannot
    // come too late on a busy machine.
    const store = worker.store('/clocked');
    const [k, ada] = [key(), user()];
    const before = Math.floor(Date.now() / 1000);
    const now = await worker.json<number>('/clock/now');
    await store.write(k, patch(meta({ userId: ada })), { mode: 'create', expiresAt: now + 1_500 });
    expect(await store.listUserSessions?.(ada)).toHaveLength(1);
    const [entry] = await entriesOf(k);
    expect(entry?.expiration).toBeGreaterThanOrEqual(before + 60);
    await worker.json('/clock/advance', { ms: 1_700 });
    expect(await store.listUserSessions?.(ada)).toEqual([]);
    expect(await entriesOf(k)).toHaveLength(1); // still in KV until its 60 s TTL
  });

  it('every write of a bound session rewrites its entry, so a session written back stays listed', async () => {
    const store = worker.store();
    const [k, ada] = [key(), user()];
    const m = meta({ userId: ada, device: 'laptop' });
    const expiresAt = Date.now() + 3_600_000;
    await store.write(k, patch(m), { mode: 'create', expiresAt });
    await worker.json('/kv/calls');
    await store.write(k, patch(m, { 'd:b': '2' }), { mode: 'update', expiresAt });
    const writes = async () =>
      (await worker.json<KvCall[]>('/kv/calls'))
        .filter((call) => call.op !== 'get')
        .map((call) => `${call.op} ${call.key.startsWith(INDEX) ? 'entry' : 'session'}`);
    expect(await writes()).toEqual(['put entry', 'put session']);
    await store.write(k, patch({ ...m, device: 'desk' }), { mode: 'update', expiresAt });
    expect(await writes()).toEqual(['put entry', 'put session']);
    expect((await store.listUserSessions?.(ada))?.[0]?.meta.device).toBe('desk');
  });

  it('keeps a long device label whole in the session and cut to 128 characters in the entry', async () => {
    const store = worker.store();
    const [k, ada] = [key(), user()];
    const device = `${'\u0001'.repeat(100)}${'é'.repeat(5_000)}`;
    await store.write(k, patch(meta({ userId: ada, device })), {
      mode: 'create',
      expiresAt: Date.now() + 60_000,
    });
    expect((await store.load(k))?.meta.device).toBe(device);
    const [listed] = (await store.listUserSessions?.(ada)) ?? [];
    expect(listed?.meta.device).toBe(device.slice(0, 128));
  });

  it('an entry whose metadata it did not write: the session itself decides', async () => {
    const store = worker.store();
    const [mine, foreign, missing, ada] = [key(), key(), key(), user()];
    const m = meta({ userId: ada });
    await store.write(mine, patch(m), { mode: 'create', expiresAt: Date.now() + 60_000 });
    await store.write(foreign, patch(meta({ userId: `${ada}-not` })), {
      mode: 'create',
      expiresAt: Date.now() + 60_000,
    });
    await worker.json(
      '/kv/put',
      [mine, foreign, missing].map((k) => ({
        key: prefixOf(ada) + k,
        value: '',
        metadata: { v: 9 },
      })),
    );
    expect(await store.listUserSessions?.(ada)).toEqual([{ key: mine, meta: m }]);
  });

  it('lists a user with more sessions than one list() page holds (1000 keys)', async () => {
    const ada = user();
    const keys = Array.from({ length: 1_005 }, key);
    const metadata = { v: 1, c: Date.now(), l: Date.now(), p: false };
    await worker.json(
      '/kv/put',
      keys.map((k) => ({ key: prefixOf(ada) + k, value: '', metadata })),
    );
    await worker.json('/kv/calls');
    const listed = (await worker.store().listUserSessions?.(ada)) ?? [];
    expect(listed.map((entry) => entry.key).sort()).toEqual([...keys].sort());
    const calls = await worker.json<KvCall[]>('/kv/calls');
    expect(calls.map((call) => call.op)).toEqual(['list', 'list']); // two pages, no reads
  }, 180_000); // 1005 KV writes to set up: slow on a busy two-core machine, not a bound tested
});
