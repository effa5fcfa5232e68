/**
 * HTTP round trips per operation, counted in the test server's request log, and the keys and
 * expiry instants the store sends. Scripts are warmed up first: this is the steady state (the
 * one-time NOSCRIPT fallback is covered in faults.test.ts).
 */
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf } from './support/keys.js';
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

/** `EVALSHA sha 1 key ...argv` → its parts. */
function script(command: readonly string[]) {
  expect(command[0]).toBe('evalsha');
  expect(command[2]).toBe('1');
  return { sha: command[1], key: command[3] as string, argv: command.slice(4) };
}

/** ARGV of the write script, decoded. */
function writeCall(command: readonly string[]) {
  const { key, argv, sha } = script(command);
  const [mode, expiresAt, metaJson, count, ...rest] = argv as string[];
  const n = Number(count);
  const set = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [rest[2 * i], rest[2 * i + 1]]),
  );
  return {
    sha,
    key,
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
    // Load both scripts into Redis's cache, as any running app has.
    const warm = store();
    const key = `warm-up:${Math.random()}`;
    await warm.load(key);
    await warm.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: 1e13 });
    await warm.delete(key);
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

    it('delete is one request', async () => {
      await store().delete('rt:gone');
      expect(server.requests).toHaveLength(1);
      expect(only(server.requests[0])).toEqual(['del', 'rt:gone']);
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
      const created = writeCall(only(requests[1]));
      expect(created.mode).toBe('create');
      expect(created.set).toEqual({ 'd:user': '"ada"', 'd:count': '1' });
      expect(created.key).not.toBe(oldKey);
      expect(only(requests[2])).toEqual(['del', oldKey]);
    });

    it('destroy: 2 requests (load, delete)', async () => {
      const { requests, setCookie } = await visit('destroy');
      expect(setCookie).toMatch(/Max-Age=0/);
      expect(requests).toHaveLength(2);
      const key = script(only(requests[0])).key;
      expect(only(requests[1])).toEqual(['del', key]);
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
});
