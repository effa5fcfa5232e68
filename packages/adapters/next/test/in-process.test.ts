// The adapter without a Next server: withSession and refreshSession are plain functions of a
// Request. (getSession needs Next's request scope: next-app.test.ts covers it.)
import { createSessionManager } from '@fetch-session/core';
import { SessionError, SessionStateError, SessionStoreError } from '@fetch-session/core/errors';
import {
  countStoreCalls,
  createSwitchableStore,
  createTestClock,
} from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import {
  asNextRequest,
  isSessionStoreError,
  refreshSession,
  SessionReadOnlyError,
  withSession,
} from '@fetch-session/next';
import { NextRequest, NextResponse } from 'next/server.js';
import { describe, expect, it } from 'vitest';

const SECRET = 'next-adapter-test-secret-0123456789abcdef';
const OLD_SECRET = 'next-adapter-old-secret-0123456789abcdef';
type Data = { count: number; user: string };

function setup(options: { permanent?: boolean } = {}) {
  const clock = createTestClock();
  const memory = memoryStore({ now: clock.now });
  const switchable = createSwitchableStore(memory);
  const store = countStoreCalls(switchable);
  const sessions = createSessionManager<Data>({
    store,
    secrets: [SECRET, OLD_SECRET],
    now: clock.now,
    permanent: options.permanent ?? false,
  });
  const counter = withSession(sessions, async (_request, session) => {
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    return new Response(String(count));
  });
  return { clock, memory, switchable, store, sessions, counter };
}

const noContext = {};
const pair = (response: Response) =>
  (response.headers.getSetCookie().find((c) => c.startsWith('sid=')) ?? '').split(';')[0] as string;

describe('withSession (in process)', () => {
  it('upgrades a plain Request, counts per browser, and commits onto the response', async () => {
    const { counter } = setup();
    const first = await counter(new Request('http://localhost/count'), noContext);
    expect(await first.text()).toBe('1');
    expect(first.headers.get('vary')).toBe('Cookie');
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const second = await counter(
      new Request('http://localhost/count', { headers: { cookie: pair(first) } }),
      noContext,
    );
    expect(await second.text()).toBe('2');
    expect(second.headers.getSetCookie()).toHaveLength(0);
  });

  it('passes the route context through', async () => {
    const { sessions } = setup();
    const handler = withSession(sessions, async (_request, _session, context: { id: string }) =>
      Response.json(context),
    );
    expect(await (await handler(new Request('http://localhost/'), { id: '7' })).json()).toEqual({
      id: '7',
    });
  });

  it('a route that never touches the session costs no store operation and no header', async () => {
    const { sessions, store } = setup();
    const handler = withSession(sessions, async () => new Response('plain'));
    const response = await handler(
      new Request('http://localhost/', { headers: { cookie: 'sid=anything' } }),
      noContext,
    );
    expect(store.total).toBe(0);
    expect(response.headers.get('vary')).toBeNull();
    expect(response.headers.getSetCookie()).toHaveLength(0);
  });

  it('S31: keeps NextResponse cookies and an immutable Response.redirect', async () => {
    const { sessions } = setup();
    const json = withSession(sessions, async (_request, session) => {
      await session.set('user', 'ada');
      const response = NextResponse.json({ ok: true });
      response.cookies.set('theme', 'dark');
      return response;
    });
    const cookies = (
      await json(new Request('http://localhost/'), noContext)
    ).headers.getSetCookie();
    expect(cookies.filter((c) => c.startsWith('sid='))).toHaveLength(1);
    expect(cookies.some((c) => c.startsWith('theme=dark'))).toBe(true);

    const redirect = withSession(sessions, async (_request, session) => {
      await session.set('user', 'ada');
      return Response.redirect('http://localhost/home', 303);
    });
    const response = await redirect(new Request('http://localhost/login'), noContext);
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie().filter((c) => c.startsWith('sid='))).toHaveLength(1);
  });

  it('S29: a store outage while loading or saving answers 503, or what onStoreError returns', async () => {
    const { sessions, switchable, counter } = setup();
    const first = await counter(new Request('http://localhost/'), noContext);
    switchable.failing = true;
    const during = await counter(
      new Request('http://localhost/', { headers: { cookie: pair(first) } }),
      noContext,
    );
    expect(during.status).toBe(503);
    expect(during.headers.getSetCookie()).toHaveLength(0);

    const custom = withSession(
      sessions,
      async (_request, session) => {
        await session.set('count', 1); // a new visitor: the load costs nothing, the save fails
        return new Response('unreachable');
      },
      {
        onStoreError: (error, request) =>
          new Response(`${error.operation} ${request.nextUrl.pathname}`, { status: 500 }),
      },
    );
    const saved = await custom(new Request('http://localhost/save'), noContext);
    expect(saved.status).toBe(500);
    expect(await saved.text()).toBe('write /save');
  });

  it('a handler that throws or answers 5xx commits nothing: no store write, no Set-Cookie', async () => {
    const { sessions, store, counter } = setup();
    const cookie = pair(await counter(new Request('http://localhost/'), noContext));
    store.reset();
    const thrown = withSession(sessions, async (_request, session) => {
      await session.set('count', 99);
      throw new Error('handler failed');
    });
    await expect(
      thrown(new Request('http://localhost/', { headers: { cookie } }), noContext),
    ).rejects.toThrow('handler failed');
    const failed = withSession(sessions, async (_request, session) => {
      await session.set('count', 99);
      return new Response('upstream down', { status: 502 });
    });
    const response = await failed(new Request('http://localhost/'), noContext);
    expect(response.status).toBe(502);
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(store.calls.write).toBe(0);
    const next = await counter(
      new Request('http://localhost/', { headers: { cookie } }),
      noContext,
    );
    expect(await next.text()).toBe('2');
  });

  it('rejects a missing manager or handler at construction', () => {
    const { sessions } = setup();
    expect(() => withSession(undefined as never, async () => new Response())).toThrow(TypeError);
    expect(() => withSession(sessions, undefined as never)).toThrow(TypeError);
  });
});

describe('asNextRequest', () => {
  it('duck-types: a NextRequest-shaped object from another copy of the class is used as is', () => {
    // What Next hands a route handler: NextRequest-shaped, from another copy of the class.
    const model = new NextRequest('http://localhost/a');
    const shaped = new Request('http://localhost/a');
    Object.defineProperties(shaped, {
      nextUrl: { value: model.nextUrl },
      cookies: { value: model.cookies },
    });
    expect(shaped).not.toBeInstanceOf(NextRequest);
    expect(asNextRequest(shaped as NextRequest)).toBe(shaped);
    const plain = new Request('http://localhost/b?x=1', { headers: { cookie: 'a=1' } });
    const upgraded = asNextRequest(plain);
    expect(upgraded).toBeInstanceOf(NextRequest);
    expect(upgraded.nextUrl.searchParams.get('x')).toBe('1');
    expect(upgraded.cookies.get('a')?.value).toBe('1');
  });
});

describe('refreshSession (in process)', () => {
  const at = (cookie: string) =>
    new NextRequest('http://localhost/page', { headers: cookie ? { cookie } : {} });
  /** The `cookie` request header NextResponse.next() forwards to the page and handlers. */
  const forwarded = (response: Response) => response.headers.get('x-middleware-request-cookie');

  it('a request without the session cookie passes through: no store call, no header', async () => {
    const { sessions, store } = setup();
    const response = await refreshSession(sessions, at('theme=dark'));
    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(forwarded(response)).toBeNull();
    expect(store.total).toBe(0);
  });

  it('S10/S12: an unknown ID is neither adopted nor answered with a cookie', async () => {
    const { sessions, memory } = setup();
    const { counter } = setup();
    const foreign = pair(await counter(new Request('http://localhost/'), noContext));
    const response = await refreshSession(sessions, at(foreign));
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect(forwarded(response)).toBeNull();
    expect(memory.size).toBe(0);
  });

  it('touches a due permanent session: the Max-Age restarts; not due, nothing is sent', async () => {
    const { sessions, counter, clock } = setup({ permanent: true });
    const cookie = pair(await counter(new Request('http://localhost/'), noContext));
    const notDue = await refreshSession(sessions, at(cookie));
    expect(notDue.headers.getSetCookie()).toHaveLength(0);
    expect(notDue.headers.get('vary')).toBe('Cookie');

    clock.advance(3 * 3_600_000);
    const due = await refreshSession(sessions, at(cookie));
    const [setCookie] = due.headers.getSetCookie();
    expect(setCookie?.split(';')[0]).toBe(cookie);
    expect(setCookie).toMatch(/Max-Age=86400/);
    expect(due.headers.get('cache-control')).toBe('private, no-store');
  });

  it('re-signs a cookie signed with a retired secret and forwards the new value to the request', async () => {
    const { sessions, memory, clock } = setup();
    const legacy = createSessionManager<Data>({
      store: memory,
      secrets: OLD_SECRET,
      now: clock.now,
    });
    const old = pair(
      await withSession(legacy, async (_request, session) => {
        await session.set('user', 'ada');
        return new Response('ok');
      })(new Request('http://localhost/'), noContext),
    );
    // Duplicates of the session cookie are dropped; other cookies are kept, in order.
    const response = await refreshSession(sessions, at(`a=1; ${old}; b=2; ${old}`));
    const fresh = pair(response);
    expect(fresh).not.toBe(old);
    expect(fresh.startsWith('sid=')).toBe(true);
    expect(forwarded(response)).toBe(`a=1; ${fresh}; b=2`);
    expect(response.headers.get('x-middleware-override-headers')).toContain('cookie');

    // S31: a cookie the proxy sets afterwards through NextResponse keeps the session's.
    (response as NextResponse).cookies.set('seen', '1');
    const cookies = response.headers.getSetCookie();
    expect(cookies.filter((c) => c.startsWith('sid='))).toHaveLength(1);
    expect(pair(response)).toBe(fresh);
    expect(cookies.some((c) => c.startsWith('seen=1'))).toBe(true);
  });

  it('S29: a store outage answers 503 by default, or what onStoreError returns', async () => {
    const { sessions, counter, switchable } = setup();
    const cookie = pair(await counter(new Request('http://localhost/'), noContext));
    switchable.failing = true;
    const response = await refreshSession(sessions, at(cookie));
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toHaveLength(0);
    const through = await refreshSession(sessions, at(cookie), {
      onStoreError: () => NextResponse.next(),
    });
    expect(through.headers.get('x-middleware-next')).toBe('1');
  });
});

describe('errors', () => {
  it('SessionReadOnlyError is a SessionStateError with code ERR_SESSION_STATE, naming the operation', () => {
    const error = new SessionReadOnlyError('session.set()');
    expect(error).toBeInstanceOf(SessionStateError);
    expect(error).toBeInstanceOf(SessionError);
    expect(error.code).toBe('ERR_SESSION_STATE');
    expect(error.name).toBe('SessionReadOnlyError');
    expect(error.operation).toBe('session.set()');
    expect(error.message).toMatch(/^\[fetch-session\] session\.set\(\) needs to set a cookie/);
  });

  it('isSessionStoreError matches by class, and by code for a second copy of the core', () => {
    expect(isSessionStoreError(new SessionStoreError('memory', 'load'))).toBe(true);
    const foreign = Object.assign(new Error('store failed'), { code: 'ERR_SESSION_STORE' });
    expect(isSessionStoreError(foreign)).toBe(true);
    expect(isSessionStoreError(new SessionStateError('nope'))).toBe(false);
    expect(isSessionStoreError('ERR_SESSION_STORE')).toBe(false);
  });
});
