/**
 * HTTP round trips per operation, counted in the test server's request log, and the keys and
 * expiry instants the store sends. Scripts are warmed up first: this is the steady state (the
 * one-time NOSCRIPT fallback is covered in faults.test.ts).
 */
import { createHash } from 'node:crypto';
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { scripts } from '@fetch-session/redis-core';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';

const { DELETE_SCRIPT, LIST_SCRIPT, LOAD_SCRIPT, WRITE_SCRIPT } = scripts;

import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf, userIndexKeyOf } from './support/keys.js';
import {
  type RecordedRequest,
  startUpstashRestServer,
  type UpstashRestServer,
} from './support/upstash-rest-server.js';

/** The interface has no default type arguments (createSessionManager does). */
type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

const SECRET = 'round-trip-test-secret-0123456789abcdef';
const IDLE = 3_600; // seconds
const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
});
afterAll(() => server.close());

/** The one command of a request that must carry exactly one. */
function only(request: RecordedRequest | undefined): readonly string[] {
  expect(request?.commands).toHaveLength(1);
  return request?.commands[0] as readonly string[];
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const SHA = {
  load: sha1(LOAD_SCRIPT),
  write: sha1(WRITE_SCRIPT),
  delete: sha1(DELETE_SCRIPT),
  list: sha1(LIST_SCRIPT),
};

/** `EVALSHA sha numkeys ...keys ...argv` → its parts; `name` is the script it must run. */
function script(command: readonly string[], name?: keyof typeof SHA) {
  expect(command[0]).toBe('evalsha');
  if (name !== undefined) expect(command[1]).toBe(SHA[name]);
  const count = Number(command[2]);
  const keys = command.slice(3, 3 + count) as string[];
  return { sha: command[1], key: keys[0] as string, keys, argv: command.slice(3 + count) };
}

/** Which of our scripts a command runs, by its SHA. */
function scriptName(command: readonly string[]): string | undefined {
  return Object.entries(SHA).find(([, sha]) => sha === command[1])?.[0];
}

/** ARGV of the write script, decoded; `index` is the user index passed as a second key. */
function writeCall(command: readonly string[]) {
  const { key, keys, argv, sha } = script(command, 'write');
  expect(keys.length).toBeLessThanOrEqual(2);
  const [mode, expiresAt, metaJson, count, ...rest] = argv as string[];
  const n = Number(count);
  const set = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [rest[2 * i], rest[2 * i + 1]]),
  );
  return {
    sha,
    key,
    index: keys[1],
    mode,
    expiresAt: Number(expiresAt),
    meta: JSON.parse(metaJson as string),
    set,
    deleted: rest.slice(2 * n),
  };
}

describe.each(CLIENT_VARIANTS)('round trips ($label)', ({ autoPipelining }) => {
  const store = () => upstashStore({ redis: testClient(server, { autoPipelining }) });

  beforeAll(async () => {
    // Load every script into Redis's cache, as any running app has.
    const warm = store();
    const key = `warm-up:${Math.random()}`;
    await warm.load(key);
    await warm.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: 1e13 });
    await warm.delete(key);
    await warm.listUserSessions('warm-up');
  });
  beforeEach(() => server.clearRequests());

  describe('store calls', () => {
    it('load is one request with one command, found or not', async () => {
      const s = store();
      await s.load('rt:missing');
      expect(server.requests).toHaveLength(1);
      only(server.requests[0]);
      // Auto-pipelined commands travel as a one-command pipeline.
      expect(server.requests[0]?.path).toBe(autoPipelining ? '/pipeline' : '/');
      const key = `rt:found:${autoPipelining}`;
      await s.write(
        key,
        { meta, set: { 'd:a': '1' }, delete: [] },
        {
          mode: 'create',
          expiresAt: Date.now() + 60_000,
        },
      );
      server.clearRequests();
      expect((await s.load(key))?.fields).toEqual({ 'd:a': '1' });
      expect(server.requests).toHaveLength(1);
      expect(script(only(server.requests[0])).key).toBe(key);
    });

    it('a commit is one request whatever number of fields changed, and sends only those', async () => {
      const s = store();
      const key = `rt:many:${autoPipelining}`;
      const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`d:k${i}`, `${i}`]));
      await s.write(
        key,
        { meta, set: fields, delete: [] },
        {
          mode: 'create',
          expiresAt: Date.now() + 60_000,
        },
      );
      expect(server.requests).toHaveLength(1);
      server.clearRequests();
      const expiresAt = Date.now() + 120_000;
      const deleted = Array.from({ length: 20 }, (_, i) => `d:k${i}`);
      const outcome = await s.write(
        key,
        { meta, set: { 'd:k30': 'changed', 'd:new': 'x' }, delete: deleted },
        { mode: 'update', expiresAt },
      );
      expect(outcome).toBe('ok');
      expect(server.requests).toHaveLength(1);
      const call = writeCall(only(server.requests[0]));
      expect(call).toMatchObject({ key, mode: 'update', expiresAt, meta });
      expect(call.set).toEqual({ 'd:k30': 'changed', 'd:new': 'x' });
      expect(call.deleted).toEqual(deleted);
      expect(await server.redis.pexpiretime(key)).toBe(expiresAt);
      expect(await server.redis.hlen(key)).toBe(40 - 20 + 1 + 1); // + d:new + _meta
    });

    it('touch is one request that rewrites no field and moves the expiry', async () => {
      const s = store();
      const key = `rt:touch:${autoPipelining}`;
      await s.write(
        key,
        { meta, set: { 'd:a': '1' }, delete: [] },
        {
          mode: 'create',
          expiresAt: Date.now() + 60_000,
        },
      );
      server.clearRequests();
      const expiresAt = Date.now() + 600_000;
      const touched = { ...meta, lastSeenAt: meta.lastSeenAt + 1_000 };
      expect(await s.touch(key, touched, { expiresAt })).toBe('ok');
      expect(server.requests).toHaveLength(1);
      const call = writeCall(only(server.requests[0]));
      expect(call).toMatchObject({
        mode: 'update',
        expiresAt,
        meta: touched,
        set: {},
        deleted: [],
      });
      expect(await server.redis.pexpiretime(key)).toBe(expiresAt);
      expect(await s.touch('rt:touch:missing', touched, { expiresAt })).toBe('conflict');
    });

    it('delete is one request (the delete script: index and hash together)', async () => {
      await store().delete('rt:gone');
      expect(server.requests).toHaveLength(1);
      expect(script(only(server.requests[0]), 'delete')).toMatchObject({
        keys: ['rt:gone'],
        argv: [],
      });
    });

    it("a bound session's create, touch and delete are one request each; the index is a second key", async () => {
      const s = store();
      const key = `rt:bound:${autoPipelining}`;
      const userId = `rt-user-${autoPipelining}-${Math.random()}`;
      const bound = { ...meta, userId, device: 'Firefox on Linux' };
      const expiresAt = Date.now() + 60_000;
      const patch = { meta: bound, set: { 'd:a': '1' }, delete: [] };
      expect(await s.write(key, patch, { mode: 'create', expiresAt })).toBe('ok');
      expect(server.requests).toHaveLength(1);
      const created = writeCall(only(server.requests[0]));
      expect(created).toMatchObject({ key, index: userIndexKeyOf(userId), meta: bound });
      server.clearRequests();
      expect(await s.touch(key, bound, { expiresAt: expiresAt + 1_000 })).toBe('ok');
      expect(server.requests).toHaveLength(1);
      expect(writeCall(only(server.requests[0])).index).toBe(userIndexKeyOf(userId));
      server.clearRequests();
      await s.delete(key);
      expect(server.requests).toHaveLength(1);
      expect(script(only(server.requests[0]), 'delete').keys).toEqual([key]);
      // A session without a user passes no index.
      server.clearRequests();
      await s.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt });
      expect(writeCall(only(server.requests[0])).index).toBeUndefined();
    });

    it("listing a user's sessions is one request, whatever their number", async () => {
      const s = store();
      const userId = `rt-list-${autoPipelining}-${Math.random()}`;
      const expiresAt = Date.now() + 60_000;
      for (let i = 0; i < 20; i++) {
        const patch = { meta: { ...meta, userId }, set: {}, delete: [] };
        await s.write(`rt:list:${userId}:${i}`, patch, { mode: 'create', expiresAt });
      }
      server.clearRequests();
      expect(await s.listUserSessions(userId)).toHaveLength(20);
      expect(server.requests).toHaveLength(1);
      expect(script(only(server.requests[0]), 'list')).toMatchObject({
        keys: [userIndexKeyOf(userId)],
        argv: [],
      });
    });
  });

  describe('requests through a session manager', () => {
    let sessions: Manager;
    let touching: Manager;
    const handler = (manager: Manager) =>
      manager.wrap(async (request, session) => {
        const action = new URL(request.url).pathname.slice(1);
        if (action === 'login') await session.set('user', 'ada');
        if (action === 'read') await session.get('user');
        if (action === 'write') await session.set('count', 1);
        if (action === 'regenerate') await session.regenerate();
        if (action === 'destroy') await session.destroy();
        return new Response(action);
      });
    let cookie = '';
    const visit = async (action: string, manager: Manager = sessions) => {
      server.clearRequests();
      const response = await handler(manager)(
        new Request(`https://app.test/${action}`, { headers: { cookie } }),
      );
      expect(response.status).toBe(200);
      const setCookie = response.headers.get('set-cookie');
      if (setCookie !== null) cookie = setCookie.split(';')[0] as string;
      return { requests: [...server.requests], setCookie };
    };

    beforeAll(() => {
      const options = { store: store(), secrets: SECRET, idleTimeout: IDLE };
      sessions = createSessionManager(options);
      touching = createSessionManager({ ...options, touchAfter: 0 });
    });

    it('new visitor: 1 request (create, with the TTL of the idle timeout)', async () => {
      const before = Date.now();
      const { requests, setCookie } = await visit('login');
      expect(setCookie).toContain('sid=');
      expect(requests).toHaveLength(1);
      const call = writeCall(only(requests[0]));
      expect(call.mode).toBe('create');
      expect(call.set).toEqual({ 'd:user': '"ada"' });
      expect(call.key).toBe(storeKeyOf(setCookie as string));
      expect(call.meta.createdAt).toBeGreaterThanOrEqual(before);
      expect(call.expiresAt).toBe(call.meta.lastSeenAt + IDLE * 1000);
      // The hash lives at exactly the key the core derived, and expires at the instant sent.
      expect(await server.redis.type(call.key)).toBe('hash');
      expect(await server.redis.pexpiretime(call.key)).toBe(call.expiresAt);
    });

    it('read: 1 request (load)', async () => {
      const { requests, setCookie } = await visit('read');
      expect(setCookie).toBeNull();
      expect(requests).toHaveLength(1);
      only(requests[0]);
    });

    it('write: 2 requests (load, then one commit with only the changed key)', async () => {
      const { requests } = await visit('write');
      expect(requests).toHaveLength(2);
      const call = writeCall(only(requests[1]));
      expect(call.mode).toBe('update');
      expect(call.set).toEqual({ 'd:count': '1' });
      expect(call.deleted).toEqual([]);
    });

    it('touch: 2 requests (load, then a touch that sends no field and moves the TTL)', async () => {
      const { requests } = await visit('read', touching);
      expect(requests).toHaveLength(2);
      const call = writeCall(only(requests[1]));
      expect(call).toMatchObject({ mode: 'update', set: {}, deleted: [] });
      expect(call.expiresAt).toBe(call.meta.lastSeenAt + IDLE * 1000);
      expect(await server.redis.pexpiretime(call.key)).toBe(call.expiresAt);
      expect(await server.redis.hget(call.key, 'd:count')).toBe('1');
    });

    it('regenerate: 3 requests (load, create under the new key, delete the old one)', async () => {
      const { requests } = await visit('regenerate');
      expect(requests).toHaveLength(3);
      const oldKey = script(only(requests[0])).key;
      // The new record first, then the old one goes: if it was already gone (revoked
      // meanwhile), the core drops the new one too (core, S21 and H2).
      const created = writeCall(only(requests[1]));
      expect(created.mode).toBe('create');
      expect(created.set).toEqual({ 'd:user': '"ada"', 'd:count': '1' });
      expect(created.key).not.toBe(oldKey);
      expect(script(only(requests[2]), 'delete').keys).toEqual([oldKey]);
    });

    it('destroy: 2 requests (load, delete)', async () => {
      const { requests, setCookie } = await visit('destroy');
      expect(setCookie).toMatch(/Max-Age=0/);
      expect(requests).toHaveLength(2);
      const key = script(only(requests[0])).key;
      expect(script(only(requests[1]), 'delete').keys).toEqual([key]);
      expect(await server.redis.exists(key)).toBe(0);
    });

    it('a visitor without a cookie who only reads, or with a forged one: 0 requests', async () => {
      const forged = `sid=${'A'.repeat(43)}.${'B'.repeat(43)}`;
      for (const header of ['', forged]) {
        server.clearRequests();
        const response = await handler(sessions)(
          new Request('https://app.test/read', { headers: { cookie: header } }),
        );
        expect(response.status).toBe(200);
        expect(response.headers.get('set-cookie')).toBeNull();
        expect(server.requests).toHaveLength(0);
      }
    });

    it('a route that does not use the session: 0 requests', async () => {
      server.clearRequests();
      const response = await sessions.wrap(() => new Response('static'))(
        new Request('https://app.test/', { headers: { cookie } }),
      );
      expect(await response.text()).toBe('static');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('per-user requests through a session manager', () => {
    let sessions: Manager;
    const userId = `rt-manager-${autoPipelining}-${Math.random()}`;
    beforeAll(() => {
      sessions = createSessionManager({ store: store(), secrets: SECRET, idleTimeout: IDLE });
    });
    /** A login: a new session bound to the user; returns its cookie. */
    const login = async (device: string) => {
      const session = sessions.open('');
      await session.bindUser(userId, { device });
      await session.set('user', userId);
      const { setCookie } = await sessions.commit(session);
      return (setCookie as string).split(';')[0] as string;
    };

    it('login with bindUser(): 2 requests (create, with the user index as second key; list for the per-user cap)', async () => {
      server.clearRequests();
      const cookie = await login('laptop');
      expect(server.requests).toHaveLength(2);
      script(only(server.requests[1]), 'list');
      const call = writeCall(only(server.requests[0]));
      expect(call).toMatchObject({
        mode: 'create',
        key: storeKeyOf(cookie),
        index: userIndexKeyOf(userId),
        meta: { userId, device: 'laptop' },
      });
    });

    it('listSessions: 1 request', async () => {
      await login('phone');
      server.clearRequests();
      expect(await sessions.listSessions(userId)).toHaveLength(2);
      expect(server.requests).toHaveLength(1);
      expect(script(only(server.requests[0]), 'list').keys).toEqual([userIndexKeyOf(userId)]);
    });

    it('revokeSession: 3 requests (list the lineage, load to check the owner, delete)', async () => {
      const cookie = await login('tablet');
      const handle = storeKeyOf(cookie).slice('sess:'.length);
      server.clearRequests();
      expect(await sessions.revokeSession(userId, handle)).toBe(true);
      expect(server.requests).toHaveLength(3);
      script(only(server.requests[0]), 'list');
      expect(script(only(server.requests[1]), 'load').key).toBe(storeKeyOf(cookie));
      expect(script(only(server.requests[2]), 'delete').keys).toEqual([storeKeyOf(cookie)]);
    });

    it('revokeAllSessions: one list, then a load (owner check) and a delete per session', async () => {
      await login('desk');
      server.clearRequests();
      const ended = await sessions.revokeAllSessions(userId);
      expect(ended).toBe(3); // laptop, phone, desk
      const commands = server.requests.flatMap((request) => request.commands);
      expect(commands).toHaveLength(1 + 2 * ended);
      script(commands[0] as readonly string[], 'list');
      const names = commands.slice(1).map((command) => scriptName(command));
      expect(names.filter((name) => name === 'load')).toHaveLength(ended);
      expect(names.filter((name) => name === 'delete')).toHaveLength(ended);
      if (autoPipelining) expect(server.requests.length).toBeLessThanOrEqual(1 + 2 * ended);
      else expect(server.requests).toHaveLength(1 + 2 * ended);
      expect(await server.redis.exists(userIndexKeyOf(userId))).toBe(0);
    });
  });
});
