import { createSessionManager } from '@fetch-session/core';
import { countStoreCalls } from '@fetch-session/core/testing';
import { type SessionEnv, sessionMiddleware, sessionsPerBinding } from '@fetch-session/hono';
import { memoryStore } from '@fetch-session/memory';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';

const secrets = 'hono-adapter-test-secret-0123456789abcdef';
type Data = { count: number; user: string };

function setup() {
  const store = countStoreCalls(memoryStore());
  const sessions = createSessionManager<Data>({ store, secrets });
  const app = new Hono<SessionEnv<Data>>();
  app.use(sessionMiddleware({ sessions }));
  return { app, store, sessions };
}

const pair = (response: Response) =>
  (response.headers.get('set-cookie') ?? '').split(';')[0] as string;

describe('sessionMiddleware', () => {
  it('a route that never touches the session costs no store operation and no header', async () => {
    const { app, store } = setup();
    app.get('/health', (c) => c.text('ok'));
    const response = await app.request('/health', { headers: { cookie: 'sid=anything' } });
    expect(await response.text()).toBe('ok');
    expect(store.total).toBe(0);
    expect(response.headers.get('vary')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('keeps Vary and adds the cookie when the handler returns its own Response', async () => {
    const { app } = setup();
    app.get('/raw', async (c) => {
      await c.var.session.set('count', 1);
      return new Response('raw', { headers: { vary: 'Accept' } });
    });
    const response = await app.request('/raw');
    expect(response.headers.get('vary')).toBe('Accept, Cookie');
    expect(response.headers.get('set-cookie')).toMatch(/^sid=/);
  });

  it('works when the handler returns an immutable Response.redirect', async () => {
    const { app } = setup();
    app.post('/login', async (c) => {
      await c.var.session.regenerate();
      await c.var.session.set('user', 'ada');
      return Response.redirect('http://localhost/dashboard', 302);
    });
    const response = await app.request('/login', { method: 'POST' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost/dashboard');
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('sid='))).toHaveLength(1);
  });

  it('S31: keeps cookies set by the handler and by other middleware, adding exactly one of its own', async () => {
    const { app } = setup();
    app.use(async (c, next) => {
      await next();
      c.header('Set-Cookie', 'seen=1; Path=/', { append: true });
    });
    app.post('/login', async (c) => {
      await c.var.session.set('user', 'ada');
      c.header('Set-Cookie', 'theme=dark; Path=/', { append: true });
      return c.redirect('/dashboard');
    });
    const cookies = (await app.request('/login', { method: 'POST' })).headers.getSetCookie();
    expect(cookies.filter((c) => c.startsWith('sid='))).toHaveLength(1);
    expect(cookies).toContain('theme=dark; Path=/');
    expect(cookies).toContain('seen=1; Path=/');
  });

  it("keeps the app's own Cache-Control", async () => {
    const { app } = setup();
    app.get('/cached', async (c) => {
      await c.var.session.set('count', 1);
      c.header('Cache-Control', 'private, max-age=5');
      return c.text('ok');
    });
    expect((await app.request('/cached')).headers.get('cache-control')).toBe('private, max-age=5');
  });

  it('takes a per-request manager, one per binding (sessionsPerBinding), for Workers KV in c.env', async () => {
    type Bindings = { SESSIONS: ReturnType<typeof memoryStore> };
    let created = 0;
    const app = new Hono<{ Bindings: Bindings } & SessionEnv<Data>>();
    app.use(
      sessionMiddleware({
        sessions: sessionsPerBinding(
          (env: Bindings) => env.SESSIONS,
          (env) => {
            created++;
            return createSessionManager<Data>({ store: env.SESSIONS, secrets });
          },
        ),
      }),
    );
    app.get('/', async (c) => {
      const count = ((await c.var.session.get('count')) ?? 0) + 1;
      await c.var.session.set('count', count);
      return c.text(String(count));
    });
    const env = { SESSIONS: memoryStore() };
    const first = await app.request('/', {}, env);
    const second = await app.request('/', { headers: { cookie: pair(first) } }, env);
    expect(await second.text()).toBe('2');
    expect(env.SESSIONS.size).toBe(1);
    expect(created).toBe(1);
    const other = { SESSIONS: memoryStore() }; // another binding: its own manager
    expect(await (await app.request('/', { headers: { cookie: pair(first) } }, other)).text()).toBe(
      '1',
    );
    expect(created).toBe(2);
  });

  it('writes the headers onto the finished response in place: c.res is not rebuilt', async () => {
    const sessions = createSessionManager<Data>({ store: memoryStore(), secrets });
    let returned: Response | undefined;
    let seen: Response | undefined;
    const app = new Hono<SessionEnv<Data>>();
    app.use(async (c, next) => {
      await next();
      seen = c.res;
    });
    app.use(sessionMiddleware({ sessions }));
    app.get('/text', async (c) => {
      await c.var.session.set('count', 1);
      returned = c.text('ok');
      return returned;
    });
    const response = await app.request('/text');
    expect(seen).toBe(returned);
    expect(response.headers.get('vary')).toBe('Cookie');
    expect(response.headers.get('set-cookie')).toMatch(/^sid=/);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a handler that throws commits nothing: no store write, no Set-Cookie on the 500', async () => {
    const { app, store } = setup();
    app.get('/count', async (c) => {
      await c.var.session.set('count', 1);
      return c.text('ok');
    });
    app.get('/fail', async (c) => {
      await c.var.session.set('count', 99);
      throw new Error('handler failed');
    });
    app.onError((_error, c) => c.text('failed', 500));
    const cookie = pair(await app.request('/count'));
    store.reset();
    const failed = await app.request('/fail', { headers: { cookie } });
    expect(failed.status).toBe(500);
    expect(failed.headers.get('set-cookie')).toBeNull();
    expect(store.calls.write).toBe(0);
    const fresh = await app.request('/fail');
    expect(fresh.headers.get('set-cookie')).toBeNull(); // no ID minted for a new visitor
    expect(store.calls.write).toBe(0);
  });

  it('rejects a missing manager at construction', () => {
    expect(() => sessionMiddleware({ sessions: undefined as never })).toThrow(TypeError);
  });
});
