/**
 * Outages through a session manager, on a redis-server of this file's own (it gets paused,
 * flushed of scripts and killed): a 503 with a typed error while it lasts, and afterwards the
 * session written before it is intact. Redis runs without persistence, so after a kill and
 * restart the data is gone: that case only checks that service resumes.
 */
import { createSessionManager, type SessionEvent, type SessionManager } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf } from './support/keys.js';
import { type RedisServer, startRedisServer } from './support/redis-server.js';
import {
  type FailureMode,
  startUpstashRestServer,
  type UpstashRestServer,
} from './support/upstash-rest-server.js';

/** The interface has no default type arguments (createSessionManager does). */
type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

const COMMAND_TIMEOUT = 250; // the REST server answers 503 when Redis is this late

let redis: RedisServer;
let server: UpstashRestServer;
beforeAll(async () => {
  redis = await startRedisServer();
  server = await startUpstashRestServer({
    redisPort: redis.port,
    commandTimeout: COMMAND_TIMEOUT,
  });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(CLIENT_VARIANTS)('faults ($label)', ({ autoPipelining }) => {
  let sessions: Manager;
  let events: SessionEvent[];
  let cookie: string;

  const app = () =>
    sessions.wrap(async (request, session) => {
      const url = new URL(request.url);
      if (url.pathname === '/fail-commit') {
        await session.get('cart'); // loaded; the commit's request will fail
        server.failNext(1, 'json-503');
      }
      if (url.pathname === '/pause-commit') {
        await session.get('cart'); // loaded; the commit will meet a paused Redis
        await server.redis.call('CLIENT', 'PAUSE', '600', 'WRITE');
      }
      for (const [name, value] of url.searchParams) await session.set(name, value);
      return Response.json(await session.all());
    });
  const visit = (path: string, cookieHeader = cookie) =>
    app()(new Request(`https://app.test${path}`, { headers: { cookie: cookieHeader } }));
  const storeErrors = () =>
    events.filter((event): event is Extract<SessionEvent, { type: 'store-error' }> => {
      return event.type === 'store-error';
    });

  beforeEach(async () => {
    events = [];
    sessions = createSessionManager({
      store: upstashStore({ redis: testClient(server, { autoPipelining }) }),
      secrets: 'faults-test-secret-0123456789abcdef',
      onEvent: (event) => events.push(event),
    });
    const response = await visit('/?cart=laptop&user=ada', '');
    cookie = (response.headers.get('set-cookie') as string).split(';')[0] as string;
  });

  async function expectIntact(): Promise<void> {
    const response = await visit('/');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ cart: 'laptop', user: 'ada' });
  }

  it.each<FailureMode>(['drop', 'html-500', 'json-503'])(
    'REST API failing (%s) on load: 503 with a typed error, then the session is intact',
    async (mode) => {
      server.failNext(3, mode);
      for (let i = 0; i < 3; i++) {
        const response = await visit('/?cart=phone');
        expect(response.status).toBe(503);
        expect(response.headers.get('set-cookie')).toBeNull();
      }
      expect(storeErrors()).toHaveLength(3);
      for (const { error } of storeErrors()) {
        expect(error).toBeInstanceOf(SessionStoreError);
        expect(error.operation).toBe('load');
      }
      await expectIntact();
    },
  );

  it('REST API failing on commit: 503, and the stored session is unchanged', async () => {
    const response = await visit('/fail-commit?cart=phone&coupon=x');
    expect(response.status).toBe(503);
    expect(storeErrors().map(({ error }) => error.operation)).toEqual(['write']);
    await expectIntact();
  });

  it('Redis paused (CLIENT PAUSE ALL) on load: 503 while it lasts, intact afterwards', async () => {
    await server.redis.call('CLIENT', 'PAUSE', '600', 'ALL');
    const response = await visit('/?cart=phone');
    expect(response.status).toBe(503);
    expect(storeErrors()[0]?.error.operation).toBe('load');
    await sleep(700);
    await expectIntact();
  });

  it('Redis paused during a commit: 503, and the patch applies whole or not at all', async () => {
    const response = await visit('/pause-commit?cart=phone&coupon=x&note=y');
    expect(response.status).toBe(503);
    expect(storeErrors()[0]?.error.operation).toBe('write');
    await sleep(700);
    // The write reached Redis and ran once the pause ended: the client only saw a timeout.
    const stored = await server.redis.hgetall(storeKeyOf(cookie));
    const patched = stored['d:coupon'] !== undefined;
    expect(stored).toMatchObject(
      patched
        ? { 'd:cart': '"phone"', 'd:coupon': '"x"', 'd:note': '"y"', 'd:user': '"ada"' }
        : { 'd:cart': '"laptop"', 'd:user': '"ada"' },
    );
    if (!patched) expect(stored['d:note']).toBeUndefined();
  });

  it('a lost script cache (SCRIPT FLUSH) costs one extra request, once', async () => {
    await server.redis.script('FLUSH');
    server.clearRequests();
    expect((await visit('/?cart=phone')).status).toBe(200); // load + commit, each falling back
    const commands = server.requests.flatMap((request) => request.commands.map((c) => c[0]));
    expect(commands).toEqual(['evalsha', 'eval', 'evalsha', 'eval']);
    server.clearRequests();
    expect((await visit('/?cart=laptop')).status).toBe(200);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((request) => request.commands[0]?.[0])).toEqual([
      'evalsha',
      'evalsha',
    ]);
    await expectIntact();
  });

  it('a lost script cache costs the delete and list scripts one extra request, once', async () => {
    const store = upstashStore({ redis: testClient(server, { autoPipelining }) });
    const userId = `faults-${autoPipelining}-${Math.random()}`;
    const key = `sess:faults-${Math.random()}`;
    const patch = {
      meta: { createdAt: 1, lastSeenAt: 1, permanent: false, userId },
      set: {},
      delete: [],
    };
    await store.write(key, patch, { mode: 'create', expiresAt: Date.now() + 60_000 });
    await server.redis.script('FLUSH');
    const commands = () => server.requests.flatMap((request) => request.commands.map((c) => c[0]));
    server.clearRequests();
    expect(await store.listUserSessions(userId)).toHaveLength(1);
    await store.delete(key);
    expect(commands()).toEqual(['evalsha', 'eval', 'evalsha', 'eval']);
    server.clearRequests();
    expect(await store.listUserSessions(userId)).toEqual([]);
    await store.delete(key);
    expect(commands()).toEqual(['evalsha', 'evalsha']);
  });
});

describe('redis-server killed mid-run', () => {
  it('answers 503 with a typed error while Redis is down, and serves again once it is back', async () => {
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store: upstashStore({ redis: testClient(server, { autoPipelining: true }) }),
      secrets: 'faults-test-secret-0123456789abcdef',
      onEvent: (event) => events.push(event),
    });
    const app = sessions.wrap(async (_request, session) => {
      await session.set('visits', (((await session.get('visits')) as number) ?? 0) + 1);
      return new Response('ok');
    });
    const first = await app(new Request('https://app.test/'));
    const cookie = (first.headers.get('set-cookie') as string).split(';')[0] as string;

    await redis.kill();
    const down = await app(new Request('https://app.test/', { headers: { cookie } }));
    expect(down.status).toBe(503);
    const newVisitor = await app(new Request('https://app.test/'));
    expect(newVisitor.status).toBe(503);
    const failures = events.filter((event) => event.type === 'store-error');
    expect(failures.map((event) => event.error.operation)).toEqual(['load', 'write']);
    for (const { error } of failures) expect(error).toBeInstanceOf(SessionStoreError);

    await redis.restart(); // same port, empty: nothing was persisted
    // The REST server's connections come back on their own (retries every 50 ms): poll, never
    // time it. Until then every answer is a typed 503, nothing else.
    let back = await app(new Request('https://app.test/', { headers: { cookie } }));
    for (let attempt = 0; attempt < 200 && back.status === 503; attempt++) {
      await sleep(50);
      back = await app(new Request('https://app.test/', { headers: { cookie } }));
    }
    expect(back.status).toBe(200);
    // The old record died with the process: the manager starts a new session, never an error.
    expect(back.headers.get('set-cookie')).toMatch(/^sid=/);
    expect(events.some((event) => event.type === 'unknown-session')).toBe(true);
  });
});
