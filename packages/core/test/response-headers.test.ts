// The response-header rule (writeSessionHeaders): Vary, Set-Cookie and Cache-Control, through
// any header sink, through applySessionHeaders and wrap(); and what a failed handler commits.
import {
  applySessionHeaders,
  type HeaderSink,
  type SessionCommit,
  writeSessionHeaders,
} from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

const url = 'https://app.test/';
const withCookie = (cookie: string) => new Request(url, { headers: { cookie } });
const SET_COOKIE = 'sid=abc.def; Path=/; HttpOnly; Secure; SameSite=Lax';

function commit(overrides: Partial<SessionCommit>): SessionCommit {
  return { setCookie: undefined, vary: true, changed: false, private: false, ...overrides };
}

/** A sink that is not a `Headers`: a map of lists, like Node's `ServerResponse` keeps them. */
function listSink(initial: Record<string, string> = {}) {
  const fields = new Map<string, string[]>(
    Object.entries(initial).map(([name, value]) => [name, [value]]),
  );
  const sink: HeaderSink = {
    get: (name) => fields.get(name)?.join(', ') ?? null,
    set: (name, value) => void fields.set(name, [value]),
    append: (name, value) => void fields.set(name, [...(fields.get(name) ?? []), value]),
  };
  return { sink, fields };
}

/** The headers `writeSessionHeaders` leaves on a response that had `initial`. */
function written(initial: Record<string, string>, result: SessionCommit): Headers {
  const headers = new Headers(initial);
  writeSessionHeaders(headers, result);
  return headers;
}

describe('writeSessionHeaders: the one rule, on any sink', () => {
  it('S22: adds Vary: Cookie when the session was used, merged into the app’s Vary, never twice', () => {
    expect(written({}, commit({})).get('vary')).toBe('Cookie');
    expect(written({ vary: 'Accept-Encoding' }, commit({})).get('vary')).toBe(
      'Accept-Encoding, Cookie',
    );
    for (const vary of ['cookie', 'Accept, Cookie', '*']) {
      expect(written({ vary }, commit({})).get('vary')).toBe(vary);
    }
    expect(written({}, commit({ vary: false })).get('vary')).toBeNull();
  });

  it('S31/S22: appends the cookie after the app’s and sets Cache-Control: private, no-store', () => {
    const headers = new Headers();
    headers.append('set-cookie', 'theme=dark; Path=/');
    writeSessionHeaders(headers, commit({ setCookie: SET_COOKIE }));
    expect(headers.getSetCookie()).toEqual(['theme=dark; Path=/', SET_COOKIE]);
    expect(headers.get('cache-control')).toBe('private, no-store');
  });

  it('S22: with the cookie, an app policy that keeps shared caches out is kept', () => {
    for (const policy of [
      'private, max-age=60',
      'no-store',
      'no-cache, no-store, must-revalidate',
      'PRIVATE',
    ]) {
      const headers = written({ 'cache-control': policy }, commit({ setCookie: SET_COOKIE }));
      expect(headers.get('cache-control')).toBe(policy);
    }
  });

  it('S22: the cookie never leaves on a response a shared cache may store (Flask CVE-2023-30861): public policies become private, no-store', () => {
    for (const policy of [
      'public, max-age=3600',
      's-maxage=600',
      'max-age=60',
      'no-cache',
      'must-revalidate',
      'private="set-cookie", max-age=60', // a shared cache may store all but Set-Cookie
      'public, x-note="private, no-store"', // quoted text is not a directive
    ]) {
      const headers = written({ 'cache-control': policy }, commit({ setCookie: SET_COOKIE }));
      expect(headers.get('cache-control'), policy).toBe('private, no-store');
      expect(headers.getSetCookie()).toEqual([SET_COOKIE]);
    }
  });

  it('S22: CDN-targeted cache fields the app set become no-store (a CDN obeys them over Cache-Control)', () => {
    const headers = written(
      {
        'cache-control': 'public, max-age=60',
        'cdn-cache-control': 'max-age=3600',
        'surrogate-control': 'max-age=3600',
        'cloudflare-cdn-cache-control': 'private',
      },
      commit({ setCookie: SET_COOKIE }),
    );
    expect(headers.get('cache-control')).toBe('private, no-store');
    expect(headers.get('cdn-cache-control')).toBe('no-store');
    expect(headers.get('surrogate-control')).toBe('no-store');
    expect(headers.get('cloudflare-cdn-cache-control')).toBe('private'); // already safe
    expect(headers.has('vercel-cdn-cache-control')).toBe(false); // never added
  });

  it('S22: a response depending on a stored session (private) gets private, no-store unless the app chose a private policy', () => {
    expect(written({}, commit({ private: true })).get('cache-control')).toBe('private, no-store');
    expect(
      written({ 'cache-control': 'private, max-age=5' }, commit({ private: true })).get(
        'cache-control',
      ),
    ).toBe('private, max-age=5');
    expect(
      written({ 'cache-control': 'public, max-age=3600' }, commit({ private: true })).get(
        'cache-control',
      ),
    ).toBe('private, no-store');
    // Used but not a stored session (a new visitor's read): Vary only.
    expect(written({}, commit({})).get('cache-control')).toBeNull();
  });

  it('writes the same through a sink that is not a Headers (multi-valued fields joined)', () => {
    const { sink, fields } = listSink({ vary: 'Accept', 'cache-control': 'public, max-age=60' });
    sink.append('set-cookie', 'theme=dark');
    writeSessionHeaders(sink, commit({ setCookie: SET_COOKIE }));
    expect(fields.get('vary')).toEqual(['Accept', 'Cookie']);
    expect(fields.get('set-cookie')).toEqual(['theme=dark', SET_COOKIE]);
    expect(fields.get('cache-control')).toEqual(['private, no-store']);
  });

  it('an untouched session writes nothing', () => {
    const { sink, fields } = listSink();
    writeSessionHeaders(sink, commit({ vary: false }));
    expect(fields.size).toBe(0);
  });
});

describe('applySessionHeaders: a Response', () => {
  it('changes mutable headers in place', () => {
    const response = new Response('ok');
    expect(applySessionHeaders(response, commit({ setCookie: SET_COOKIE }))).toBe(response);
    expect(response.headers.get('set-cookie')).toBe(SET_COOKIE);
  });

  it('copies an immutable response around the same body, writing the whole rule', async () => {
    const original = await fetch('data:text/plain,hello');
    expect(() => original.headers.set('x-probe', '1')).toThrow(TypeError); // really immutable
    const copy = applySessionHeaders(original, commit({ setCookie: SET_COOKIE }));
    expect(copy).not.toBe(original);
    expect(copy.headers.get('vary')).toBe('Cookie');
    expect(copy.headers.get('cache-control')).toBe('private, no-store');
    expect(await copy.text()).toBe('hello');
  });
});

describe('wrap(): headers on real sessions', () => {
  it("S22: a new visitor's read carries Vary: Cookie merged with the app's Vary, and no Cache-Control", async () => {
    const { sessions } = setup();
    const handler = sessions.wrap(async (_request, session) => {
      await session.get('a');
      return new Response('ok', { headers: { vary: 'Accept-Encoding' } });
    });
    const response = await handler(new Request(url));
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it('S22: a response that sets the cookie carries Cache-Control: private, no-store unless the app chose a private one', async () => {
    const { sessions } = setup();
    const write = (cacheControl?: string) =>
      sessions.wrap(async (_request, session) => {
        await session.set('a', 1);
        return new Response(
          'ok',
          cacheControl === undefined ? {} : { headers: { 'cache-control': cacheControl } },
        );
      });
    expect((await write()(new Request(url))).headers.get('cache-control')).toBe(
      'private, no-store',
    );
    expect(
      (await write('private, max-age=60')(new Request(url))).headers.get('cache-control'),
    ).toBe('private, max-age=60');
    const shared = await write('public, max-age=3600')(new Request(url));
    expect(shared.headers.get('cache-control')).toBe('private, no-store');
    expect(shared.headers.getSetCookie()).toHaveLength(1);
  });

  it('S22: reading a stored session (a dashboard) gets private, no-store; privateSessionResponses: false leaves Vary alone', async () => {
    const dashboard = async (_request: Request, session: { get(key: string): Promise<unknown> }) =>
      new Response(`user=${await session.get('user')}`);
    const { sessions, request } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    const response = await sessions.wrap(dashboard)(withCookie(cookie));
    expect(await response.text()).toBe('user=ada');
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(response.headers.get('vary')).toBe('Cookie');
    expect(response.headers.get('cache-control')).toBe('private, no-store');

    const changed = await sessions.wrap(async (_request, session) => {
      await session.set('user', 'grace'); // a change that needs no new cookie
      return new Response('ok');
    })(withCookie(cookie));
    expect(changed.headers.getSetCookie()).toHaveLength(0);
    expect(changed.headers.get('cache-control')).toBe('private, no-store');

    const off = setup({ privateSessionResponses: false });
    const offCookie = cookiePair((await off.request(null, (s) => s.set('user', 'ada'))).setCookie);
    const relaxed = await off.sessions.wrap(dashboard)(withCookie(offCookie));
    expect(relaxed.headers.get('vary')).toBe('Cookie');
    expect(relaxed.headers.get('cache-control')).toBeNull();
    // The cookie is kept out of shared caches whatever the option says.
    const created = await off.sessions.wrap(async (_request, session) => {
      await session.set('user', 'ada');
      return new Response('ok', { headers: { 'cache-control': 'public, max-age=3600' } });
    })(new Request(url));
    expect(created.headers.get('cache-control')).toBe('private, no-store');
  });

  it('privateSessionResponses must be a boolean (SessionConfigError naming it)', () => {
    for (const value of ['yes', 1, 'false']) {
      expect(() => setup({ privateSessionResponses: value as never })).toThrow(SessionConfigError);
      expect(() => setup({ privateSessionResponses: value as never })).toThrow(
        /privateSessionResponses/,
      );
    }
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
});

describe('wrap(): a failed handler commits nothing', () => {
  it('a handler that throws saves nothing; its error propagates', async () => {
    const { sessions, request, store } = setup<{ count: number }>();
    const cookie = cookiePair((await request(null, (s) => s.set('count', 1))).setCookie);
    store.reset();
    const failing = sessions.wrap(async (_request, session) => {
      await session.set('count', 2);
      throw new Error('boom');
    });
    await expect(failing(withCookie(cookie))).rejects.toThrow('boom');
    expect(store.calls.write).toBe(0);
    expect(await sessions.open(cookie).get('count')).toBe(1);
  });

  it('a 5xx answer saves nothing and goes out without session headers', async () => {
    const { sessions, store } = setup();
    const handler = sessions.wrap(async (_request, session) => {
      await session.set('a', 1); // a new visitor: would mint an ID and a cookie
      return new Response('upstream failed', { status: 502 });
    });
    const response = await handler(new Request(url));
    expect(response.status).toBe(502);
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(store.calls.write).toBe(0);
  });
});
