/**
 * The per-user index as Redis holds it: one sorted set per user, members the session keys,
 * scores their `expiresAt`, the set's own expiry the highest score; moved by writes, touches,
 * user changes and deletes in the same script, trimmed lazily when listed.
 */
import type { SessionMeta } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { userIndexKeyOf } from './support/keys.js';
import { startUpstashRestServer, type UpstashRestServer } from './support/upstash-rest-server.js';

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
  // Every script in Redis's cache, so request counts are the steady state.
  const warm = upstashStore({ redis: testClient(server, { autoPipelining: false }) });
  await warm.delete('user-index:warm-up');
  await warm.listUserSessions('warm-up');
});
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(CLIENT_VARIANTS)('per-user index ($label)', ({ autoPipelining }) => {
  const store = (keyPrefix?: string) =>
    upstashStore({
      redis: testClient(server, { autoPipelining }),
      ...(keyPrefix !== undefined && { keyPrefix }),
    });
  let counter = 0;
  const unique = (name: string) => `${name}-${autoPipelining}-${++counter}-${Math.random()}`;
  const key = () => `sess:${unique('key')}`;
  const metaOf = (userId?: string, extra: Partial<SessionMeta> = {}): SessionMeta => ({
    createdAt: Date.now(),
    lastSeenAt: Date.now(),
    permanent: false,
    ...(userId !== undefined && { userId }),
    ...extra,
  });
  const create = (s: ReturnType<typeof store>, k: string, meta: SessionMeta, expiresAt: number) =>
    s.write(k, { meta, set: { 'd:a': '1' }, delete: [] }, { mode: 'create', expiresAt });
  const members = (index: string) => server.redis.zrange(index, '0', '-1');

  it('a bound session is a member of its user index, scored by expiresAt; the index expires with the last', async () => {
    const s = store();
    const user = unique('user');
    const index = userIndexKeyOf(user);
    const [a, b] = [key(), key()];
    const soon = Date.now() + 60_000;
    const later = Date.now() + 120_000;
    await create(s, a, metaOf(user, { device: 'Safari on iOS' }), later);
    await create(s, b, metaOf(user), soon);
    expect(await server.redis.type(index)).toBe('zset');
    expect(Number(await server.redis.zscore(index, a))).toBe(later);
    expect(Number(await server.redis.zscore(index, b))).toBe(soon);
    expect(await server.redis.pexpiretime(index)).toBe(later);
    // The hash names its index; a load does not show that field.
    expect(await server.redis.hget(a, '_user')).toBe(index);
    expect((await s.load(a))?.fields).toEqual({ 'd:a': '1' });
    expect((await s.load(a))?.meta.device).toBe('Safari on iOS');
    // A touch moves the score, and the index's expiry when it becomes the latest.
    const latest = Date.now() + 300_000;
    expect(await s.touch(b, metaOf(user), { expiresAt: latest })).toBe('ok');
    expect(Number(await server.redis.zscore(index, b))).toBe(latest);
    expect(await server.redis.pexpiretime(index)).toBe(latest);
    // Every member's expiry is within the index's.
    for (const member of await members(index)) {
      expect(await server.redis.pexpiretime(member)).toBeLessThanOrEqual(
        await server.redis.pexpiretime(index),
      );
    }
    expect((await s.listUserSessions(user)).map((entry) => entry.key).sort()).toEqual(
      [a, b].sort(),
    );
  });

  it('the index key: keyPrefix, `user:`, the user ID as base64url of its UTF-8', async () => {
    const user = `zoë 🙂/${unique('ü')}`;
    const k = key();
    await create(store(), k, metaOf(user), Date.now() + 60_000);
    expect(await members(userIndexKeyOf(user))).toEqual([k]);
    expect(userIndexKeyOf(user)).toMatch(/^sess:user:[A-Za-z0-9_-]+$/);
    // Another prefix, another namespace: apps sharing a database do not share session lists.
    const other = store('app2:');
    const k2 = `app2:${unique('key')}`;
    await create(other, k2, metaOf(user), Date.now() + 60_000);
    expect(await members(userIndexKeyOf(user, 'app2:'))).toEqual([k2]);
    expect((await other.listUserSessions(user)).map((entry) => entry.key)).toEqual([k2]);
    expect((await store().listUserSessions(user)).map((entry) => entry.key)).toEqual([k]);
  });

  it('a session without a user is in no index and has no `_user` field', async () => {
    const k = key();
    await create(store(), k, metaOf(), Date.now() + 60_000);
    expect((await server.redis.hkeys(k)).sort()).toEqual(['_meta', 'd:a']);
  });

  it('a change of user moves the session between indexes in the same write; unbinding removes it', async () => {
    const s = store();
    const [first, second] = [unique('first'), unique('second')];
    const k = key();
    const expiresAt = Date.now() + 60_000;
    await create(s, k, metaOf(first), expiresAt);
    const patch = { meta: metaOf(second), set: {}, delete: [] };
    server.clearRequests();
    expect(await s.write(k, patch, { mode: 'update', expiresAt })).toBe('ok');
    expect(server.requests).toHaveLength(1);
    // Its only member left: the old index is gone.
    expect(await server.redis.exists(userIndexKeyOf(first))).toBe(0);
    expect(await members(userIndexKeyOf(second))).toEqual([k]);
    expect(await server.redis.hget(k, '_user')).toBe(userIndexKeyOf(second));
    expect(await s.listUserSessions(first)).toEqual([]);
    expect((await s.listUserSessions(second)).map((entry) => entry.key)).toEqual([k]);
    // A write without a user takes the session out of every index.
    await s.write(k, { meta: metaOf(), set: {}, delete: [] }, { mode: 'update', expiresAt });
    expect(await server.redis.exists(userIndexKeyOf(second))).toBe(0);
    expect(await server.redis.hexists(k, '_user')).toBe(0);
  });

  it('a refused write (conflict) changes no index', async () => {
    const s = store();
    const user = unique('user');
    const k = key();
    const patch = { meta: metaOf(user), set: {}, delete: [] };
    expect(await s.write(k, patch, { mode: 'update', expiresAt: Date.now() + 60_000 })).toBe(
      'conflict',
    );
    expect(await server.redis.exists(userIndexKeyOf(user))).toBe(0);
  });

  it('a delete removes the session from its index in the same request', async () => {
    const s = store();
    const user = unique('user');
    const [a, b] = [key(), key()];
    await create(s, a, metaOf(user), Date.now() + 60_000);
    await create(s, b, metaOf(user), Date.now() + 60_000);
    server.clearRequests();
    await s.delete(a);
    expect(server.requests).toHaveLength(1);
    expect(await members(userIndexKeyOf(user))).toEqual([b]);
    await s.delete(b);
    expect(await server.redis.exists(userIndexKeyOf(user))).toBe(0);
    // Deleting what is not there, or not a session hash, still works.
    await s.delete(a);
    const foreign = key();
    await server.redis.set(foreign, 'a string');
    await s.delete(foreign);
    expect(await server.redis.exists(foreign)).toBe(0);
  });

  it('expired members stay until the next list, which trims them by score (lazily cleaned)', async () => {
    const s = store();
    const user = unique('user');
    const index = userIndexKeyOf(user);
    const [short, long] = [key(), key()];
    await create(s, short, metaOf(user), Date.now() + 200);
    await create(s, long, metaOf(user), Date.now() + 60_000);
    await sleep(300);
    // Redis dropped the hash; the index still names it.
    expect(await server.redis.exists(short)).toBe(0);
    expect((await members(index)).sort()).toEqual([short, long].sort());
    expect((await s.listUserSessions(user)).map((entry) => entry.key)).toEqual([long]);
    expect(await members(index)).toEqual([long]);
    // The trim goes by score, Redis's clock: a past score goes even if its hash were still there.
    await server.redis.zadd(index, Date.now() - 1_000, long);
    expect(await s.listUserSessions(user)).toEqual([]);
    expect(await server.redis.exists(index)).toBe(0);
  });

  it('a list drops members whose hash is gone, or that belong to another index', async () => {
    const s = store();
    const user = unique('user');
    const index = userIndexKeyOf(user);
    const [vanished, moved, kept] = [key(), key(), key()];
    for (const k of [vanished, moved, kept]) await create(s, k, metaOf(user), Date.now() + 60_000);
    // Behind the store's back: a hash deleted, another relabelled for some other index.
    await server.redis.del(vanished);
    await server.redis.hset(moved, '_user', 'sess:user:elsewhere');
    expect((await s.listUserSessions(user)).map((entry) => entry.key)).toEqual([kept]);
    expect(await members(index)).toEqual([kept]);
  });

  it('never lists a session whose metadata names another user', async () => {
    const s = store();
    const user = unique('user');
    const [k, other] = [key(), key()];
    await create(s, k, metaOf(user), Date.now() + 60_000);
    await create(s, other, metaOf(user), Date.now() + 60_000);
    await server.redis.hset(other, '_meta', JSON.stringify(metaOf('mallory')));
    expect((await s.listUserSessions(user)).map((entry) => entry.key)).toEqual([k]);
  });

  it('broken metadata in a listed session is a typed error, as it is on load', async () => {
    const s = store();
    const user = unique('user');
    const k = key();
    await create(s, k, metaOf(user), Date.now() + 60_000);
    await server.redis.hset(k, '_meta', 'not json');
    const error = await s.listUserSessions(user).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ operation: 'list' });
    expect(String((error as Error).message)).not.toContain(user);
  });

  it('a foreign value at the index key fails the write before the session changes', async () => {
    const s = store();
    const user = unique('user');
    await server.redis.set(userIndexKeyOf(user), 'not a sorted set');
    const k = key();
    await expect(create(s, k, metaOf(user), Date.now() + 60_000)).rejects.toBeInstanceOf(
      SessionStoreError,
    );
    expect(await server.redis.exists(k)).toBe(0);
    await expect(s.listUserSessions(user)).rejects.toBeInstanceOf(SessionStoreError);
  });

  it('refuses a patch naming the reserved `_user` field, before any request', async () => {
    server.clearRequests();
    const s = store();
    const k = key();
    for (const patch of [
      { meta: metaOf(), set: { _user: 'sess:user:x' }, delete: [] },
      { meta: metaOf(), set: {}, delete: ['_user'] },
    ]) {
      const error = await s
        .write(k, patch, { mode: 'create', expiresAt: Date.now() + 60_000 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SessionStoreError);
      expect((error as Error).cause).toBeInstanceOf(RangeError);
    }
    expect(server.requests).toHaveLength(0);
  });
});
