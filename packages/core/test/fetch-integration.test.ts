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

  it("S22: a response whose session was read carries Vary: Cookie, merged with the app's Vary", async () => {
    const { sessions } = setup();
    const handler = sessions.wrap(async (_request, session) => {
      await session.get('a');
      return new Response('ok', { headers: { vary: 'Accept-Encoding' } });
    });
    const response = await handler(new Request(url));
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it('S22: does not repeat Cookie in Vary, nor add it to Vary: *', async () => {
    const { sessions } = setup();
    for (const vary of ['cookie', 'Accept, Cookie', '*']) {
      const handler = sessions.wrap(async (_request, session) => {
        await session.get('a');
        return new Response('ok', { headers: { vary } });
      });
      expect((await handler(new Request(url))).headers.get('vary')).toBe(vary);
    }
  });

  it('S22: a response that sets the cookie carries Cache-Control: no-store unless the app chose one', async () => {
    const { sessions } = setup();
    const write = (cacheControl?: string) =>
      sessions.wrap(async (_request, session) => {
        await session.set('a', 1);
        return new Response(
          'ok',
          cacheControl === undefined ? {} : { headers: { 'cache-control': cacheControl } },
        );
      });
    expect((await write()(new Request(url))).headers.get('cache-control')).toBe('no-store');
    expect(
      (await write('private, max-age=60')(new Request(url))).headers.get('cache-control'),
    ).toBe('private, max-age=60');
  });

  it("S31: keeps the app's Set-Cookie headers and adds exactly one of its own", async () => {
    const { sessions } = setup();
    const handler = sessions.wrap(async (_request, session) => {
      await session.set('a', 1);
      const headers = new Headers();
      headers.append('set-cookie', 'theme=dark; Path=/');
      headers.append('set-cookie', 'lang=en; Path=/');
      return new Response('ok', { headers });
    });
    const cookies = (await handler(new Request(url))).headers.getSetCookie();
    expect(cookies).toHaveLength(3);
    expect(cookies.slice(0, 2)).toEqual(['theme=dark; Path=/', 'lang=en; Path=/']);
    expect(cookies[2]).toMatch(/^sid=/);
  });

  it('works when the handler returns a response with immutable headers (Response.redirect)', async () => {
    const { sessions } = setup();
    let original: Response | undefined;
    const handler = sessions.wrap(async (_request, session) => {
      await session.set('user', 'ada');
      original = Response.redirect('https://app.test/dashboard', 302);
      return original;
    });
    const response = await handler(new Request(url));
    expect(() => original?.headers.set('x-probe', '1')).toThrow(TypeError); // really immutable
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://app.test/dashboard');
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get('vary')).toBe('Cookie');
  });

  it('works with a fetch() result and keeps its body streaming', async () => {
    const { sessions } = setup();
    let original: Response | undefined;
    const handler = sessions.wrap(async (_request, session) => {
      await session.set('a', 1);
      original = await fetch('data:text/plain,hello%20world');
      return original;
    });
    const response = await handler(new Request(url));
    expect(() => original?.headers.set('x-probe', '1')).toThrow(TypeError); // really immutable
    expect(await response.text()).toBe('hello world');
    expect(response.headers.getSetCookie()).toHaveLength(1);
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
