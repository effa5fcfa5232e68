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
interface Listed {
  handle: string;
  device: string;
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

describe('revocation (per-user sessions) while KV still serves the revoked session', () => {
  const signin = (isolate: 'a' | 'b', user: string, device: string) =>
    visit<Me>(worker, `/stale/${isolate}/app/signin?user=${user}&device=${device}`);
  const devices = async (isolate: 'a' | 'b', cookie: string) =>
    (await visit<Listed[]>(worker, `/stale/${isolate}/app/sessions`, cookie)).body
      .map((s) => s.device)
      .sort();

  it('revokeSession: refused on the next request at the same isolate at once; another isolate of the location still accepts it (up to 60 s)', async () => {
    const user = `revoke-${Date.now()}`;
    const laptop = await signin('a', user, 'laptop');
    const phone = await signin('a', user, 'phone');
    expect((await visit<Me>(worker, '/stale/b/app/me', laptop.cookie)).body.user).toBe(user);
    const listed = await visit<Listed[]>(worker, '/stale/a/app/sessions', phone.cookie);
    const handle = listed.body.find((s) => s.device === 'laptop')?.handle as string;

    const revoked = await visit(worker, `/stale/a/app/revoke?handle=${handle}`, phone.cookie);
    expect(revoked.body).toEqual({ revoked: true });
    // KV has neither the record nor its index entry, but the location's cache still has both.
    expect(await listKeys(worker, `user-sessions:`)).not.toContainEqual(
      expect.objectContaining({ name: expect.stringContaining(handle) }),
    );
    const storeKey = `stale:${handle}`;
    expect(await worker.json(`/kv/get?key=${storeKey}`)).toBeNull();
    expect((await worker.store('/stale/off').load(storeKey))?.meta.userId).toBe(user);

    // The isolate that revoked it: refused at once, and no longer listed.
    expect((await visit<Me>(worker, '/stale/a/app/me', laptop.cookie)).body.user).toBeNull();
    expect(await devices('a', phone.cookie)).toEqual(['phone']);
    // Documented limit: elsewhere in the location the cached copy is accepted and listed.
    expect((await visit<Me>(worker, '/stale/b/app/me', laptop.cookie)).body.user).toBe(user);
    expect(await devices('b', phone.cookie)).toEqual(['laptop', 'phone']);
  });

  it('revokeAllSessions ("log out everywhere"): every other session refused at once on that isolate', async () => {
    const user = `everywhere-${Date.now()}`;
    const cookies = [
      (await signin('a', user, 'one')).cookie,
      (await signin('b', user, 'two')).cookie,
      (await signin('a', user, 'three')).cookie,
    ];
    const here = (await signin('a', user, 'here')).cookie;
    for (const cookie of cookies) await visit(worker, '/stale/b/app/me', cookie); // cached
    const all = await visit(worker, '/stale/a/app/revoke-all?except=current', here);
    expect(all.body).toEqual({ count: 3 });
    for (const cookie of cookies) {
      expect((await visit<Me>(worker, '/stale/a/app/me', cookie)).body.user).toBeNull();
      expect((await visit<Me>(worker, '/stale/b/app/me', cookie)).body.user).toBe(user);
    }
    expect(await devices('a', here)).toEqual(['here']);
  });

  it('documents the limit: a write from another isolate in the window brings a revoked session back, and back into its index', async () => {
    const user = `comeback-${Date.now()}`;
    const laptop = await signin('a', user, 'laptop');
    const phone = await signin('a', user, 'phone');
    await visit(worker, '/stale/b/app/me', laptop.cookie); // b's location caches the record
    const entries = async () => (await listKeys(worker, 'user-sessions:')).length;
    const before = await entries();
    expect(
      await visit(worker, '/stale/a/app/revoke-all?except=current', phone.cookie),
    ).toMatchObject({
      body: { count: 1 },
    });
    expect(await entries()).toBe(before - 1);
    await visit(worker, '/stale/b/app/set?key=theme&value=dark', laptop.cookie);
    // Back in KV with its index entry: listed again, so "log out everywhere" can reach it.
    expect(await entries()).toBe(before);
    expect(await devices('b', phone.cookie)).toEqual(['laptop', 'phone']);
    // The isolate that revoked it still refuses it, and leaves it out, for its tombstone's lifetime.
    expect((await visit<Me>(worker, '/stale/a/app/me', laptop.cookie)).body.user).toBeNull();
    expect(await devices('a', phone.cookie)).toEqual(['phone']);
  });
});
