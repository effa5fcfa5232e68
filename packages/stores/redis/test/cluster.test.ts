/**
 * The Cluster layout on the shared real Cluster, with both clients: a session and its user's
 * index in different slots (no CROSSSLOT), the order of writes that keeps every live session
 * listed even when a call fails between two of them, coverage of sliding expiry, and round
 * trips per operation (counted at the client).
 */
import { createSessionManager } from '@fetch-session/core';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as clusterScripts from '../../redis-core/src/cluster-scripts.js';
import * as scripts from '../../redis-core/src/scripts.js';
import { userIndexKeyOf } from '../../upstash/test/support/keys.js';
import { type RedisClient, redisStore } from '../src/index.js';
import { type ClientKind, connectClient, type TestClient } from './support/clients.js';

const KINDS: ClientKind[] = ['node-redis', 'ioredis'];

/** `SCRIPT LOAD`s every script of the store on every master of the shared Cluster. */
async function loadEveryScriptOnEveryMaster(): Promise<void> {
  const sources = Object.entries({ ...scripts, ...clusterScripts })
    .filter(([name, value]) => name.endsWith('_SCRIPT') && typeof value === 'string')
    .map(([, value]) => value as string);
  if (inspector.status !== 'ready') await new Promise((ready) => inspector.once('ready', ready));
  for (const master of inspector.nodes('master')) {
    for (const source of sources) await master.script('LOAD', source);
  }
}

let inspector: Cluster;
beforeAll(async () => {
  inspector = new Cluster(inject('clusterPorts').map((port) => ({ host: '127.0.0.1', port })));
  await new Promise((resolve) => inspector.once('ready', resolve));
});
afterAll(() => inspector.disconnect());

/**
 * Counts the client's script calls and, as a MOCK for a fault we cannot time otherwise (a
 * connection lost exactly between two calls of one operation), fails the calls whose number
 * is in `failing` (1-based, counted from the last `reset`).
 */
function instrumented(client: RedisClient) {
  let calls = 0;
  let failing = new Set<number>();
  const names = new Set(['evalSha', 'eval', 'evalsha']);
  const proxy = new Proxy(client as object, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !names.has(property) || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        calls++;
        if (failing.has(calls)) return Promise.reject(new Error('mock: connection lost'));
        return value.apply(target, args);
      };
    },
  }) as RedisClient;
  return {
    client: proxy,
    get calls() {
      return calls;
    },
    reset(fail: number[] = []) {
      calls = 0;
      failing = new Set(fail);
    },
  };
}

const metaOf = (userId?: string) => ({
  createdAt: Date.now(),
  lastSeenAt: Date.now(),
  permanent: false,
  ...(userId !== undefined && { userId }),
});
const slot = async (key: string) => Number(await inspector.cluster('KEYSLOT', key));

describe.each(KINDS)('Cluster layout (%s)', (kind) => {
  let connected: TestClient;
  let counted: ReturnType<typeof instrumented>;
  let store: ReturnType<typeof redisStore>;
  let n = 0;
  const unique = (name: string) => `${name}-${kind}-${++n}-${Math.random()}`;
  const key = () => `sess:${unique('k')}`;

  beforeAll(async () => {
    connected = await connectClient(kind, 'cluster', inject('clusterPorts'));
    counted = instrumented(connected.client);
    store = redisStore({ client: counted.client });
    // Every script in every master's cache: counts below are the steady state.
    for (let i = 0; i < 12; i++) {
      const k = key();
      const user = unique('warm');
      await store.write(
        k,
        { meta: metaOf(user), set: {}, delete: [] },
        { mode: 'create', expiresAt: Date.now() + 60_000 },
      );
      await store.touch(k, metaOf(user), { expiresAt: Date.now() + 60_000 });
      await store.listUserSessions(user);
      await store.delete(k);
    }
  });
  afterAll(() => connected.close());

  it('lists and revokes sessions whose index lives in another slot (no CROSSSLOT)', async () => {
    const sessions = createSessionManager({
      store,
      secrets: 'cluster-test-secret-0123456789abcdef',
    });
    const user = unique('user');
    const cookies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const session = sessions.open('');
      await session.bindUser(user, { device: `device ${i}` });
      await session.set('i', i);
      cookies.push(((await sessions.commit(session)).setCookie as string).split(';')[0] as string);
    }
    const listed = await sessions.listSessions(user);
    expect(listed).toHaveLength(6);
    const slots = new Set(await Promise.all(listed.map(({ handle }) => slot(`sess:${handle}`))));
    // The sessions are spread over slots, none of them the index's.
    expect(slots.size).toBeGreaterThan(1);
    expect(slots.has(await slot(userIndexKeyOf(user)))).toBe(false);
    expect(await sessions.revokeAllSessions(user)).toBe(6);
    for (const cookie of cookies) expect(await sessions.open(cookie).get('i')).toBeUndefined();
    expect(await sessions.listSessions(user)).toEqual([]);
  });

  it('round trips: load 1, commit 1, touch 1, delete 1; binding adds the index call first', async () => {
    // Counted once the scripts are cached: a master's first EVALSHA of a script answers
    // NOSCRIPT and costs one more call, and whether a master has run a script yet depends on
    // where the keys of the other files' tests happened to land.
    await loadEveryScriptOnEveryMaster();
    const k = key();
    const user = unique('user');
    const expiresAt = Date.now() + 60_000;
    counted.reset();
    await store.write(
      k,
      { meta: metaOf(), set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt },
    );
    expect(counted.calls).toBe(1);
    counted.reset();
    await store.load(k);
    expect(counted.calls).toBe(1);
    // Binding: the index entry, then the session (the update learns it must: 3 calls, once).
    counted.reset();
    await store.write(
      k,
      { meta: metaOf(user), set: {}, delete: [] },
      { mode: 'update', expiresAt },
    );
    expect(counted.calls).toBe(3);
    // A bound session whose index entry covers it: one call per commit and touch.
    counted.reset();
    await store.write(
      k,
      { meta: metaOf(user), set: { 'd:b': '2' }, delete: [] },
      { mode: 'update', expiresAt: expiresAt + 1 },
    );
    await store.touch(k, metaOf(user), { expiresAt: expiresAt + 2 });
    expect(counted.calls).toBe(2);
    // A login (create, bound): the index entry, then the session.
    const other = key();
    counted.reset();
    await store.write(
      other,
      { meta: metaOf(user), set: {}, delete: [] },
      { mode: 'create', expiresAt },
    );
    expect(counted.calls).toBe(2);
    // A list: the index, then one call per member.
    counted.reset();
    expect(await store.listUserSessions(user)).toHaveLength(2);
    expect(counted.calls).toBe(3);
    // A delete: the session, then its index entry.
    counted.reset();
    expect(await store.delete(k)).toBe(true);
    expect(counted.calls).toBe(2);
    counted.reset();
    await store.delete(key());
    expect(counted.calls).toBe(1);
  });

  it('a failure after the index entry and before the session leaves only a stale entry, dropped on read', async () => {
    const k = key();
    const user = unique('user');
    const index = userIndexKeyOf(user);
    counted.reset([2]); // the session write, after the index entry
    await expect(
      store.write(
        k,
        { meta: metaOf(user), set: {}, delete: [] },
        { mode: 'create', expiresAt: Date.now() + 60_000 },
      ),
    ).rejects.toMatchObject({ name: 'SessionStoreError', operation: 'write' });
    expect(await inspector.zrange(index, '0', '-1')).toEqual([k]);
    expect(await inspector.exists(k)).toBe(0);
    counted.reset();
    expect(await store.listUserSessions(user)).toEqual([]);
    expect(await inspector.exists(index)).toBe(0);
  });

  it('a failure before the index entry writes nothing: the session is never unlisted', async () => {
    const k = key();
    const user = unique('user');
    counted.reset([1]); // the index entry
    await expect(
      store.write(
        k,
        { meta: metaOf(user), set: {}, delete: [] },
        { mode: 'create', expiresAt: Date.now() + 60_000 },
      ),
    ).rejects.toMatchObject({ name: 'SessionStoreError' });
    expect(await inspector.exists(k)).toBe(0);
    // Binding an existing session: if the index call fails, the session stays unbound.
    counted.reset();
    await store.write(
      k,
      { meta: metaOf(), set: {}, delete: [] },
      { mode: 'create', expiresAt: Date.now() + 60_000 },
    );
    counted.reset([2]); // update -> needs index -> (fails)
    await expect(
      store.write(
        k,
        { meta: metaOf(user), set: {}, delete: [] },
        { mode: 'update', expiresAt: Date.now() + 60_000 },
      ),
    ).rejects.toMatchObject({ name: 'SessionStoreError' });
    counted.reset();
    expect((await store.load(k))?.meta.userId).toBeUndefined();
  });

  it('a failure after a delete and before the index cleanup leaves a stale entry the next list drops', async () => {
    const [a, b] = [key(), key()];
    const user = unique('user');
    const index = userIndexKeyOf(user);
    for (const k of [a, b]) {
      await store.write(
        k,
        { meta: metaOf(user), set: {}, delete: [] },
        { mode: 'create', expiresAt: Date.now() + 60_000 },
      );
    }
    counted.reset([2]); // the index cleanup after the delete: best effort
    expect(await store.delete(a)).toBe(true);
    expect(await inspector.exists(a)).toBe(0);
    expect((await inspector.zrange(index, '0', '-1')).sort()).toEqual([a, b].sort());
    counted.reset();
    expect((await store.listUserSessions(user)).map((entry) => entry.key)).toEqual([b]);
    expect(await inspector.zrange(index, '0', '-1')).toEqual([b]);
  });

  it('a session never outlives its index entry: extending its expiry raises the entry first', async () => {
    const k = key();
    const user = unique('user');
    const index = userIndexKeyOf(user);
    const soon = Date.now() + 60_000;
    await store.write(
      k,
      { meta: metaOf(user), set: {}, delete: [] },
      { mode: 'create', expiresAt: soon },
    );
    const covered = Number(await inspector.zscore(index, k));
    expect(covered).toBeGreaterThanOrEqual(soon);
    // Past the coverage: the store raises the entry before the session (3 calls).
    const far = covered + 10 * 3_600_000;
    counted.reset();
    expect(await store.touch(k, metaOf(user), { expiresAt: far })).toBe('ok');
    expect(counted.calls).toBe(3);
    expect(Number(await inspector.zscore(index, k))).toBeGreaterThanOrEqual(far);
    expect(await inspector.pexpiretime(k)).toBe(far);
    expect(await inspector.pexpiretime(index)).toBeGreaterThanOrEqual(far);
    // A score never goes down: a write with a nearer expiry keeps the higher coverage.
    await store.write(
      k,
      { meta: metaOf(user), set: {}, delete: [] },
      { mode: 'update', expiresAt: soon },
    );
    expect(Number(await inspector.zscore(index, k))).toBeGreaterThanOrEqual(far);
  });

  it('a change of user: listed for the new user at once, dropped from the old one on its next list', async () => {
    const k = key();
    const [first, second] = [unique('first'), unique('second')];
    const expiresAt = Date.now() + 60_000;
    await store.write(
      k,
      { meta: metaOf(first), set: {}, delete: [] },
      { mode: 'create', expiresAt },
    );
    await store.write(
      k,
      { meta: metaOf(second), set: {}, delete: [] },
      { mode: 'update', expiresAt },
    );
    expect((await store.listUserSessions(second)).map((entry) => entry.key)).toEqual([k]);
    expect(await inspector.zrange(userIndexKeyOf(first), '0', '-1')).toEqual([k]); // stale
    expect(await store.listUserSessions(first)).toEqual([]);
    expect(await inspector.exists(userIndexKeyOf(first))).toBe(0);
    // Unbinding: no index names it any more once listed.
    await store.write(k, { meta: metaOf(), set: {}, delete: [] }, { mode: 'update', expiresAt });
    expect(await store.listUserSessions(second)).toEqual([]);
    expect(await inspector.hexists(k, '_user')).toBe(0);
  });
});
