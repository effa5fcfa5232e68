import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionManager } from '@fetch-session/core';
import { countStoreCalls, createSwitchableStore } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession, withNodeSession } from '@fetch-session/node';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';

const secrets = 'node-adapter-test-secret-0123456789abcdef';
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function start(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sessionCookies = (response: Response) =>
  response.headers.getSetCookie().filter((c) => c.startsWith('sid='));

describe('node:http handlers', () => {
  it('S31: keeps Set-Cookie headers passed to writeHead as an object, an array of pairs or a flat list', async () => {
    const sessions = createSessionManager({ store: memoryStore(), secrets });
    const forms = {
      object: { 'Set-Cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' },
      pairs: [
        ['Set-Cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['content-type', 'text/plain'],
      ],
      flat: ['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'content-type', 'text/plain'],
    };
    for (const [form, headers] of Object.entries(forms)) {
      const url = await start(
        withNodeSession(sessions, async (_req, res, session) => {
          await session.set('form', form);
          res.setHeader('Set-Cookie', 'early=0');
          res.writeHead(200, headers as never).end('ok');
        }),
      );
      const response = await fetch(url);
      const cookies = response.headers.getSetCookie();
      expect(cookies, form).toEqual(expect.arrayContaining(['early=0', 'a=1', 'b=2']));
      expect(sessionCookies(response), form).toHaveLength(1);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(await response.text()).toBe('ok');
    }
  });

  it('a streamed response still carries the cookie, and the body arrives whole and in order', async () => {
    const sessions = createSessionManager({ store: memoryStore(), secrets });
    const url = await start(
      withNodeSession(sessions, async (_req, res, session) => {
        await session.set('streamed', true);
        res.write('one,');
        res.write('two,');
        await new Promise((resolve) => setTimeout(resolve, 10));
        res.end('three');
      }),
    );
    const response = await fetch(url);
    expect(sessionCookies(response)).toHaveLength(1);
    expect(await response.text()).toBe('one,two,three');
  });

  it("S29: a store failure while saving answers 503 instead of the handler's response", async () => {
    const store = createSwitchableStore(memoryStore());
    const sessions = createSessionManager({ store, secrets });
    const url = await start(
      withNodeSession(sessions, async (_req, res, session) => {
        await session.set('a', 1);
        store.failing = true;
        res.end('saved?');
      }),
    );
    const response = await fetch(url);
    store.failing = false;
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('Service Unavailable');
    expect(sessionCookies(response)).toHaveLength(0);
  });
});

describe('Express middleware', () => {
  it('loads before the route only when there is a cookie; a route that ignores the session writes nothing', async () => {
    const store = countStoreCalls(memoryStore());
    const sessions = createSessionManager({ store, secrets });
    const app = express();
    app.use(expressSession(sessions));
    app.get('/set', async (req, res) => {
      await getSession(req).set('a', 1);
      res.send('set');
    });
    app.get('/plain', (_req, res) => {
      res.send('plain');
    });
    const url = await start(app);
    await fetch(`${url}/plain`);
    expect(store.total).toBe(0);
    const cookie = (sessionCookies(await fetch(`${url}/set`))[0] as string).split(';')[0] as string;
    store.reset();
    const plain = await fetch(`${url}/plain`, { headers: { cookie } });
    expect(store.calls).toEqual({ load: 1, write: 0, touch: 0, delete: 0 });
    expect(plain.headers.get('vary')).toBeNull();
  });

  it("keeps cookies set with Express's res.cookie and redirects", async () => {
    const sessions = createSessionManager({ store: memoryStore(), secrets });
    const app = express();
    app.use(expressSession(sessions));
    app.post('/login', async (req, res) => {
      await getSession(req).regenerate();
      await getSession(req).set('user', 'ada');
      res.cookie('theme', 'dark');
      res.redirect('/dashboard');
    });
    const url = await start(app);
    const response = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.getSetCookie()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^theme=dark/)]),
    );
    expect(sessionCookies(response)).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('getSession() says clearly when the middleware is missing', () => {
    expect(() => getSession({} as never)).toThrow(/expressSession/);
  });
});

describe('what the Node adapters read from the request', () => {
  it('F5: a header transport works through expressSession and withNodeSession, with no cookie', async () => {
    for (const kind of ['express', 'node:http'] as const) {
      const sessions = createSessionManager<{ count: number }>({
        store: memoryStore(),
        secrets,
        transport: { header: 'x-session' },
      });
      const url =
        kind === 'express'
          ? await start(
              express()
                .use(expressSession(sessions))
                .get('/', async (req, res) => {
                  const session = getSession(req, sessions);
                  const count = ((await session.get('count')) ?? 0) + 1;
                  await session.set('count', count);
                  res.send(String(count));
                }),
            )
          : await start(
              withNodeSession(sessions, async (_req, res, session) => {
                const count = ((await session.get('count')) ?? 0) + 1;
                await session.set('count', count);
                res.end(String(count));
              }),
            );
      const first = await fetch(url);
      const token = first.headers.get('x-session');
      expect(token, kind).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
      expect(await first.text(), kind).toBe('1');
      expect(first.headers.getSetCookie(), kind).toEqual([]);
      const second = await fetch(url, { headers: { 'x-session': token as string } });
      expect(await second.text(), kind).toBe('2');
      // The same ID sent as a cookie is not the transport: a new session.
      const asCookie = await fetch(url, { headers: { cookie: `sid=${token}` } });
      expect(await asCookie.text(), kind).toBe('1');
    }
  });

  it("records the signed-in device from the request's User-Agent", async () => {
    const sessions = createSessionManager({ store: memoryStore(), secrets });
    const url = await start(
      withNodeSession(sessions, async (_req, res, session) => {
        await session.bindUser('ada');
        res.end('ok');
      }),
    );
    const agent =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    await (await fetch(url, { headers: { 'user-agent': agent } })).text();
    const [listed] = await sessions.listSessions('ada');
    expect(listed?.device).toMatch(/Chrome/);
  });
});
