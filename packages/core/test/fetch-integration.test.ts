import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

const url = 'https://app.test/';
const withCookie = (cookie: string) => new Request(url, { headers: { cookie } });

describe('wrap(): any fetch handler', () => {
  it('passes extra handler arguments through (Workers env and ctx)', async () => {
    const { sessions } = setup();
    const env = { NAME: 'env' };
    const ctx = { waitUntil: () => {} };
    const handler = sessions.wrap(async (_request, _session, e: typeof env, c: typeof ctx) => {
      return new Response(`${e.NAME}:${typeof c.waitUntil}`);
    });
    expect(await (await handler(new Request(url), env, ctx)).text()).toBe('env:function');
  });

  it('reads the session cookie from a Request, its Headers or a raw header string alike', async () => {
    const { sessions, request } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('n', 7))).setCookie);
    const inputs = [withCookie(cookie), withCookie(cookie).headers, `theme=dark; ${cookie}`];
    for (const input of inputs) expect(await sessions.open(input).get('n')).toBe(7);
  });

  it('a visit counter counts', async () => {
    const { sessions } = setup<{ count: number }>();
    const handler = sessions.wrap(async (_request, session) => {
      const count = ((await session.get('count')) ?? 0) + 1;
      await session.set('count', count);
      return new Response(`You have visited this page ${count} times`);
    });
    let cookie = '';
    let body = '';
    for (let i = 0; i < 3; i++) {
      const response = await handler(withCookie(cookie));
      body = await response.text();
      const setCookie = response.headers.get('set-cookie');
      if (setCookie !== null) cookie = cookiePair(setCookie);
    }
    expect(body).toBe('You have visited this page 3 times');
  });
});

describe('preload()', () => {
  it('loads without counting as a use: no Vary, no touch, unless the handler then uses the session', async () => {
    const { sessions, request, store, clock } = setup({ idleTimeout: 3600, touchAfter: 60 });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    clock.advance(120_000); // a touch is due
    store.reset();
    const ignored = sessions.open(cookie);
    await sessions.preload(ignored);
    expect(await sessions.commit(ignored)).toEqual({
      setCookie: undefined,
      vary: false,
      changed: false,
      private: false,
    });
    expect(store.calls).toEqual({ load: 1, write: 0, touch: 0, delete: 0 });
    const used = sessions.open(cookie);
    await sessions.preload(used);
    expect(await used.get('a')).toBe(1);
    expect((await sessions.commit(used)).vary).toBe(true);
    expect(store.calls.load).toBe(2); // the use shared the preload
    expect(store.calls.touch).toBe(1);
  });
});
