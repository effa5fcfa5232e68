import type { SessionPatch } from '@fetch-session/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys, visit } from './helpers/client.js';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';

// Miniflare's KV has one location and is always consistent. In the Worker, stale-read-kv.ts
// models a location whose cache keeps serving a deleted value; `stale/a` and `stale/b` are the
// stores (and session managers) of two isolates in that location, `stale/off` a store with
// tombstones turned off. Everything runs in workerd.
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.dispose();
});

let counter = 0;
const key = (): string => `stale:${Date.now()}:${++counter}`;
const patch: SessionPatch = {
  meta: { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false },
  set: { 'd:user': '"ada"' },
  delete: [],
};
const options = () => ({ expiresAt: Date.now() + 3_600_000 });
interface Me {
  user: string | null;
}

describe('a destroyed session while KV still serves its old value', () => {
  it('S19: the isolate that destroyed it refuses it (tombstone), though the location serves it', async () => {
    const a = worker.store('/stale/a');
    const k = key();
    await a.write(k, patch, { mode: 'create', ...options() });
    await a.delete(k);
    // The double works: a store without tombstones still reads the deleted record.
    expect((await worker.store('/stale/off').load(k))?.fields).toEqual(patch.set);
    expect(await a.load(k)).toBeUndefined();
    expect(await a.write(k, patch, { mode: 'update', ...options() })).toBe('conflict');
    expect(await a.touch?.(k, patch.meta, options())).toBe('conflict');
    expect(await worker.json(`/kv/get?key=${k}`)).toBeNull(); // KV itself has no record
  });

  it('S19: logout, then a replay of the old cookie on the same isolate: anonymous', async () => {
    const login = await visit<Me>(worker, '/stale/a/app/login?user=ada');
    await visit(worker, '/stale/a/app/logout', login.cookie);
    expect((await visit<Me>(worker, '/stale/a/app/me', login.cookie)).body.user).toBeNull();
  });

  it('documents the limit: another isolate in that location still accepts the replay until its cache expires (up to 60 s)', async () => {
    const login = await visit<Me>(worker, '/stale/a/app/login?user=ada');
    expect((await visit<Me>(worker, '/stale/b/app/me', login.cookie)).body.user).toBe('ada');
    await visit(worker, '/stale/a/app/logout', login.cookie);
    expect((await visit<Me>(worker, '/stale/a/app/me', login.cookie)).body.user).toBeNull();
    expect((await visit<Me>(worker, '/stale/b/app/me', login.cookie)).body.user).toBe('ada');
  });

  it('documents the limit: a write from another isolate in the window brings the record back (last writer wins)', async () => {
    const login = await visit<Me>(worker, '/stale/a/app/login?user=grace');
    await visit(worker, '/stale/b/app/me', login.cookie); // b's location caches the record
    const before = (await listKeys(worker, 'stale:')).length;
    await visit(worker, '/stale/a/app/logout', login.cookie);
    expect(await listKeys(worker, 'stale:')).toHaveLength(before - 1);
    await visit(worker, '/stale/b/app/set?key=theme&value=dark', login.cookie);
    expect(await listKeys(worker, 'stale:')).toHaveLength(before); // resurrected in KV
    // The isolate that destroyed it still refuses it, for its tombstone's lifetime.
    expect((await visit<Me>(worker, '/stale/a/app/me', login.cookie)).body.user).toBeNull();
  });
});
