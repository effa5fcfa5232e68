// Against the fixture app built with `next build` and served by `next start` (global-setup.ts).
import { describe, expect, it } from 'vitest';
import {
  actionId,
  advanceClock,
  browser,
  callAction,
  fixtureState,
  maxAge,
  origin,
  sessionSetCookies,
} from './helpers.js';

const HOUR = 3_600_000;
/** Later than the default touchAfter (idle 1 day / 10 = 2.4 h), well within the idle timeout. */
const TOUCH_DUE = 3 * HOUR;

async function login(user = 'ada', permanent = false) {
  const visitor = browser();
  const query = `user=${user}${permanent ? '&permanent=1' : ''}`;
  const response = await visitor.fetch(`/api/login?${query}`, { method: 'POST' });
  expect(await response.text()).toBe('logged-in');
  return { visitor, response };
}

async function whoami(visitor: ReturnType<typeof browser>) {
  return (await (await visitor.fetch('/api/whoami')).json()) as {
    user: string | null;
    count: number | null;
    isNew: boolean;
    cookie: string | null;
  };
}

describe('route handlers: withSession', () => {
  it('S31: commits onto a NextResponse, keeping the cookies set through NextResponse and cookies()', async () => {
    const visitor = browser();
    const first = await visitor.fetch('/api/count', { method: 'POST' });
    // nextUrl works: the handler got a NextRequest-shaped request
    expect(await first.json()).toEqual({ count: 1, path: '/api/count' });
    const cookies = first.headers.getSetCookie();
    expect(sessionSetCookies(first)).toHaveLength(1);
    expect(cookies.some((cookie) => cookie.startsWith('theme=dark'))).toBe(true);
    expect(cookies.some((cookie) => cookie.startsWith('seen=1'))).toBe(true);
    expect(sessionSetCookies(first)[0]).toMatch(/HttpOnly/i);
    expect(first.headers.get('vary')).toMatch(/\bCookie\b/i);
    expect(first.headers.get('cache-control')).toBe('private, no-store');

    const second = await visitor.fetch('/api/count', { method: 'POST' });
    expect(await second.json()).toEqual({ count: 2, path: '/api/count' });
    expect(sessionSetCookies(second)).toHaveLength(0); // same ID, nothing to resend
  });

  it('a redirect() thrown by the handler still saves the session (cookie on Next’s redirect)', async () => {
    const visitor = browser();
    const response = await visitor.fetch('/api/login-redirect', { method: 'POST' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/rsc');
    expect(sessionSetCookies(response)).toHaveLength(1);
    expect((await whoami(visitor)).user).toBe('redirected');
  });

  it('S22: Vary: Cookie only on routes that use the session (next to Next’s own Vary)', async () => {
    const used = await fetch(`${origin}/s/peek`);
    expect(used.headers.get('vary')).toMatch(/\bCookie\b/i);
    const plain = await fetch(`${origin}/s/plain`);
    expect(await plain.text()).toBe('plain');
    expect(plain.headers.get('vary') ?? '').not.toMatch(/\bCookie\b/i);
    expect(plain.headers.getSetCookie()).toHaveLength(0);
  });
});

describe('Server Actions: withActionSession and getSession().save()', () => {
  const page = '/action';
  const file = 'app/action/actions.ts';

  it('withActionSession saves when the action returns; the page re-rendered in the same request sees it', async () => {
    const visitor = browser();
    const id = actionId(file, 'increment');
    const first = await callAction(visitor, page, id);
    expect(first.status).toBe(200);
    expect(sessionSetCookies(first)).toHaveLength(1);
    const payload = await first.text();
    expect(payload).toContain('"count=1"'); // the re-render read the cookie the action just set
    expect(payload).toMatch(/^1:1$/m); // the action's return value

    // The same cookie now: Next re-renders nothing unless the action asks (refresh()).
    const second = await callAction(visitor, page, id);
    const secondPayload = await second.text();
    expect(secondPayload).toMatch(/^1:2$/m);
    expect(secondPayload).not.toContain('"count=');
    expect(sessionSetCookies(second)).toHaveLength(0);
    const third = await callAction(visitor, page, actionId(file, 'incrementAndRefresh'));
    expect(await third.text()).toContain('"count=3"');
    expect((await whoami(visitor)).count).toBe(3);
  });

  it('withActionSession saves before a redirect() (login with regenerate, S14)', async () => {
    const attacker = browser();
    await attacker.fetch('/api/count', { method: 'POST' });
    const victim = browser({ sid: attacker.sid as string }); // a planted cookie
    const response = await callAction(victim, page, actionId(file, 'loginAndRedirect'), ['grace']);
    expect(response.headers.get('x-action-redirect')).toMatch(/^\/rsc/);
    expect(sessionSetCookies(response)).toHaveLength(1);
    expect(victim.sid).not.toBe(attacker.sid);
    expect((await whoami(victim)).user).toBe('grace');
    expect((await whoami(attacker)).user).toBeNull();
  });

  it('getSession() is writable in an action, and save() commits (logout with destroy and flash)', async () => {
    const { visitor } = await login('linus');
    const loggedIn = visitor.sid as string;
    const response = await callAction(visitor, page, actionId(file, 'logoutWithSave'));
    expect(await response.text()).toContain('logged-out readOnly=false');
    expect(sessionSetCookies(response)).toHaveLength(1);
    expect(visitor.sid).not.toBe(loggedIn);
    expect((await whoami(visitor)).user).toBeNull();
    expect((await whoami(browser({ sid: loggedIn }))).user).toBeNull(); // replay (S19)
  });
});

describe('Server Components: read-only getSession', () => {
  it('reads the session: the page HTML contains the session value, and no cookie is sent', async () => {
    const { visitor } = await login('ada');
    const response = await visitor.fetch('/rsc');
    const html = await response.text();
    expect(html).toContain('user=ada');
    expect(html).toContain('readOnly=true');
    expect(html).toContain('shared=true');
    expect(response.headers.getSetCookie()).toHaveLength(0);
  });

  it('a write is refused with SessionReadOnlyError (ERR_SESSION_STATE): no ID minted, nothing stored', async () => {
    const before = (await fixtureState()).appStoreSize;
    const response = await fetch(`${origin}/rsc?write=1`);
    const html = await response.text();
    expect(html).toContain('write=SessionReadOnlyError:ERR_SESSION_STATE:');
    expect(html).toContain('(a Server Component) the session is read-only');
    expect(response.headers.getSetCookie()).toHaveLength(0);
    expect((await fixtureState()).appStoreSize).toBe(before);

    const { visitor } = await login('ada');
    const withSession = await visitor.fetch('/rsc?write=1');
    expect(await withSession.text()).toContain('write=SessionReadOnlyError');
    expect(withSession.headers.getSetCookie()).toHaveLength(0);
    expect((await whoami(visitor)).count).toBeNull(); // the refused write was not saved
  });

  it('never touches: a session due for a refresh gets no cookie from a Server Component', async () => {
    const { visitor } = await login('ada', true);
    await advanceClock(TOUCH_DUE);
    const response = await visitor.fetch('/rsc');
    expect(await response.text()).toContain('user=ada');
    expect(response.headers.getSetCookie()).toHaveLength(0);
  });
});

describe('proxy: refreshSession', () => {
  it('a session due for a touch gets the refreshed cookie, and the page of the same request sees the session', async () => {
    const { visitor, response: loginResponse } = await login('ada', true);
    const loginCookie = sessionSetCookies(loginResponse)[0] as string;
    expect(maxAge(loginCookie)).toBe(86_400);
    await advanceClock(TOUCH_DUE);

    const touched = await visitor.fetch('/proxied/page');
    const html = await touched.text();
    const [refreshed] = sessionSetCookies(touched);
    expect(refreshed).toBeDefined();
    // The same ID, its idle timer restarted: a full day again, not 21 hours.
    expect(refreshed?.split(';')[0]).toBe(loginCookie.split(';')[0]);
    expect(maxAge(refreshed as string)).toBe(86_400);
    expect(html).toContain('user=ada');

    const again = await visitor.fetch('/proxied/page');
    expect(await again.text()).toContain('user=ada');
    expect(sessionSetCookies(again)).toHaveLength(0); // not due again yet
  });

  it('a cookie signed with a retired secret is re-signed, and the page and route handler of the same request read the new value', async () => {
    const legacy = browser();
    await legacy.fetch('/fixture/legacy-login', { method: 'POST' });
    const old = legacy.sid as string;

    const page = await fetch(`${origin}/proxied/page`, {
      headers: { cookie: `theme=dark; sid=${old}; lang=en` },
    });
    const [resigned] = sessionSetCookies(page);
    const fresh = resigned?.split(';')[0]?.slice('sid='.length);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
    const html = await page.text();
    expect(html).toContain('user=legacy');
    expect(html).toContain(`cookie=${fresh}`); // forwarded: the render got the new value

    const api = await fetch(`${origin}/proxied/api`, { headers: { cookie: `sid=${old}` } });
    const body = (await api.json()) as { user: string; cookie: string };
    expect(body.user).toBe('legacy');
    expect(body.cookie).toBe(sessionSetCookies(api)[0]?.split(';')[0]?.slice('sid='.length));
    expect(body.cookie).not.toBe(old);
  });

  it('when the handler also sets the cookie, its Set-Cookie comes last and wins', async () => {
    const visitor = browser();
    await visitor.fetch('/fixture/legacy-login', { method: 'POST' });
    const old = visitor.sid as string;
    const response = await visitor.fetch('/proxied/login', { method: 'POST' });
    expect(await response.text()).toBe('promoted');
    const cookies = sessionSetCookies(response);
    expect(cookies).toHaveLength(2); // the proxy's re-signed cookie, then the handler's new ID
    expect(visitor.sid).toBe(cookies[1]?.split(';')[0]?.slice('sid='.length));
    expect(old.split('.')[0]).not.toBe(visitor.sid?.split('.')[0]);
    expect((await whoami(visitor)).user).toBe('promoted');
  });

  it('requests without the session cookie pass through untouched', async () => {
    const response = await fetch(`${origin}/proxied/page`);
    expect(await response.text()).toContain('user=none');
    expect(response.headers.getSetCookie()).toHaveLength(0);
  });
});

describe('edge runtime', () => {
  it('withSession runs in an edge route handler (no Node.js APIs)', async () => {
    const visitor = browser();
    expect(await (await visitor.fetch('/edge', { method: 'POST' })).text()).toBe('edge count=1');
    expect(await (await visitor.fetch('/edge', { method: 'POST' })).text()).toBe('edge count=2');
  });
});
