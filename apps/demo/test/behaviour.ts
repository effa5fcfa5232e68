import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, SESSION_COOKIE, sessionSetCookie } from './demo-client.js';
import { postWithoutEnding } from './raw-post.js';

/** A running demo server. */
export interface RunningDemo {
  origin: string;
  stop(): Promise<void>;
}

/**
 * The demo's behaviour over HTTP, the same on every runtime: counter, stored data, login,
 * dashboard, cart, logout, a tampered cookie and a fixation attempt, and the hardening items
 * (H10-H14) and features (F8, F9) of the issues they are named after.
 */
const login = { email: 'test@example.com', password: 'password123' };

export function describeDemoBehaviour(runtime: string, start: () => Promise<RunningDemo>): void {
  describe(`demo on ${runtime}`, () => {
    let demo: RunningDemo;
    beforeAll(async () => {
      demo = await start();
    });
    afterAll(async () => {
      await demo?.stop();
    });
    const client = () => createClient(demo.origin);

    it('counts visits per browser', async () => {
      const browser = client();
      for (let i = 1; i <= 3; i++)
        expect(await browser.text('GET', '/')).toContain(`You have visited this page ${i} times`);
      expect(await client().text('GET', '/')).toContain('You have visited this page 1 times');
    });

    it('stores and reads back data; a new visitor is a guest', async () => {
      const browser = client();
      expect(await client().text('GET', '/get_data')).toBe(
        'Username: Guest\nUser ID: Unknown\nPreferences: {}',
      );
      expect(await browser.text('GET', '/set_data')).toBe('Data stored in session');
      const data = await browser.text('GET', '/get_data');
      expect(data).toContain('Username: flask_user');
      expect(data).toContain('User ID: 123');
      expect(data).toContain('"theme":"dark"');
    });

    it('logs in with a new session ID, shows the dashboard, logs out', async () => {
      const browser = client();
      expect((await browser.request('GET', '/dashboard')).headers.get('location')).toMatch(
        /\/login$/,
      );
      await browser.text('GET', '/');
      const before = browser.jar.get(SESSION_COOKIE);
      expect(
        (await browser.request('POST', '/login', { email: 'test@example.com', password: 'wrong' }))
          .status,
      ).toBe(401);
      const response = await browser.request('POST', '/login', login);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(/\/dashboard$/);
      expect(browser.jar.get(SESSION_COOKIE)).not.toBe(before);
      const dashboard = await browser.text('GET', '/dashboard');
      expect(dashboard).toContain('Welcome to your dashboard, Test User!');
      expect(dashboard).toContain('Welcome back, Test User!');
      const loggedIn = browser.jar.get(SESSION_COOKIE);
      const logout = await browser.request('POST', '/logout');
      expect(logout.headers.get('location')).toMatch(/\/login$/);
      expect(await browser.text('GET', '/login')).toContain('You have been logged out.');
      expect((await browser.request('GET', '/dashboard')).status).toBe(302);
      const replay = createClient(demo.origin);
      replay.jar.set(SESSION_COOKIE, loggedIn as string);
      expect((await replay.request('GET', '/dashboard')).status).toBe(302);
    });

    it('keeps a cart: add, repeat, unknown product, total, clear', async () => {
      const browser = client();
      expect(await (await browser.request('POST', '/cart/add/1')).json()).toEqual({
        message: 'Product added to cart',
      });
      await browser.request('POST', '/cart/add/1');
      await browser.request('POST', '/cart/add/3');
      const unknown = await browser.request('POST', '/cart/add/99');
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: 'Product not found' });
      const cart = (await (await browser.request('GET', '/cart')).json()) as {
        items: Record<string, { quantity: number }>;
        total: number;
      };
      expect(cart.items['1']).toMatchObject({ name: 'Laptop', price: 999.99, quantity: 2 });
      expect(cart.items['3']).toMatchObject({ name: 'Headphones', quantity: 1 });
      expect(cart.total).toBe(2099.97);
      expect(await (await browser.request('POST', '/cart/clear')).json()).toEqual({
        message: 'Cart cleared',
      });
      expect(await (await browser.request('GET', '/cart')).json()).toEqual({ items: {}, total: 0 });
    });

    it('refuses a cross-site form post (CSRF)', async () => {
      const response = await fetch(`${demo.origin}/login`, {
        method: 'POST',
        headers: {
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(login).toString(),
        redirect: 'manual',
      });
      expect(response.status).toBe(403);
    });

    it('treats a tampered cookie as no session', async () => {
      const browser = client();
      await browser.request('POST', '/login', login);
      const sid = browser.jar.get(SESSION_COOKIE) as string;
      const tampered = createClient(demo.origin);
      tampered.jar.set(
        SESSION_COOKIE,
        `${sid.slice(0, 10)}${sid[10] === 'A' ? 'B' : 'A'}${sid.slice(11)}`,
      );
      const response = await tampered.request('GET', '/dashboard');
      expect(response.status).toBe(302);
      expect(await tampered.text('GET', '/')).toContain('You have visited this page 1 times');
    });

    it("lists the user's sessions and signs the others out (log out everywhere else)", async () => {
      const first = client();
      const second = client();
      await first.request('POST', '/login', login);
      await second.request('POST', '/login', login);
      expect((await client().request('GET', '/account/sessions')).status).toBe(302);
      const page = await first.text('GET', '/account/sessions');
      expect(page).toContain('(This device)');
      expect((page.match(/data-session="/g) ?? []).length).toBeGreaterThanOrEqual(2);
      const revoked = await first.request('POST', '/account/sessions/revoke-others');
      expect(revoked.status).toBe(302);
      expect((await second.request('GET', '/dashboard')).status).toBe(302);
      expect(await first.text('GET', '/dashboard')).toContain(
        'Welcome to your dashboard, Test User!',
      );
      const after = await first.text('GET', '/account/sessions');
      expect((after.match(/data-session="/g) ?? []).length).toBe(1);
    });

    it('S14: a cookie planted before login is not logged in afterwards', async () => {
      const attacker = client();
      await attacker.text('GET', '/');
      const victim = client();
      victim.jar.set(SESSION_COOKIE, attacker.jar.get(SESSION_COOKIE) as string);
      await victim.request('POST', '/login', login);
      expect(await victim.text('GET', '/dashboard')).toContain(
        'Welcome to your dashboard, Test User!',
      );
      expect((await attacker.request('GET', '/dashboard')).status).toBe(302);
    });

    it('H10: oversized bodies get 413 before parsing', async () => {
      // Announced as 50 MB: refused from the Content-Length alone, before a byte of it is sent.
      const declared = await postWithoutEnding(`${demo.origin}/login`, {
        declaredLength: 50 * 1024 * 1024,
        sendBytes: 0,
      });
      expect(declared.status).toBe(413);
      // Chunked, no length: refused once more than the limit has arrived, before the body ends.
      const chunked = await postWithoutEnding(`${demo.origin}/wizard/3`, { sendBytes: 80 * 1024 });
      expect(chunked.status).toBe(413);
      // Just under the limit (64 KiB) the form is read as usual.
      const padded = await client().request('POST', '/login', {
        email: 'padded@example.com',
        password: 'x'.repeat(60 * 1024),
      });
      expect(padded.status).toBe(401);
    });

    it('H11: logout is POST-only; a cross-site link or form cannot log you out', async () => {
      const browser = client();
      await browser.request('POST', '/login', login);
      const link = await browser.request('GET', '/logout');
      expect(link.status).toBe(405);
      expect(link.headers.get('allow')).toBe('POST');
      const crossSite = await fetch(`${demo.origin}/logout`, {
        method: 'POST',
        headers: {
          cookie: `${SESSION_COOKIE}=${browser.jar.get(SESSION_COOKIE)}`,
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
        redirect: 'manual',
      });
      expect(crossSite.status).toBe(403);
      expect(await browser.text('GET', '/dashboard')).toContain('Welcome to your dashboard');
      expect((await browser.request('POST', '/logout')).status).toBe(302);
      expect((await browser.request('GET', '/dashboard')).status).toBe(302);
    });

    it('H12: the session cookie is __Host-sid (Secure, Path=/, no Domain); a tossed sid is ignored', async () => {
      const browser = client();
      const response = await browser.request('POST', '/login', login);
      const setCookie = sessionSetCookie(response) ?? '';
      expect(setCookie).toMatch(/^__Host-sid=[^;]+/);
      expect(setCookie).toMatch(/;\s*Secure(;|$)/i);
      expect(setCookie).toMatch(/;\s*Path=\/(;|$)/i);
      expect(setCookie).not.toMatch(/;\s*Domain=/i);
      // A sibling subdomain can set `sid` (with any Domain and Path), never `__Host-sid`.
      const tossed = createClient(demo.origin);
      tossed.jar.set('sid', browser.jar.get(SESSION_COOKIE) as string);
      expect((await tossed.request('GET', '/dashboard')).status).toBe(302);
    });

    it('H14: /debug/session is closed (404) unless DEMO_DEBUG_ROUTES=1', async () => {
      const browser = client();
      await browser.text('GET', '/set_data');
      expect((await browser.request('GET', '/debug/session')).status).toBe(404);
    });

    it('F8: remember me: unticked, a browser-session cookie; ticked, a permanent one', async () => {
      const session = sessionSetCookie(await client().request('POST', '/login', login)) ?? '';
      expect(session).toMatch(/^__Host-sid=/);
      expect(session).not.toMatch(/max-age|expires/i);
      const remembered = client();
      const response = await remembered.request('POST', '/login', { ...login, remember: '1' });
      const permanent = sessionSetCookie(response) ?? '';
      const maxAge = Number(/;\s*Max-Age=(\d+)/i.exec(permanent)?.[1]);
      // At most the server-side lifetime: the idle timeout of a fresh session (1 day).
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(86_400);
      expect(await remembered.text('GET', '/dashboard')).toContain('Welcome to your dashboard');
    });

    it('F9: the saved language is applied: the lang attribute, navigation and headings', async () => {
      const browser = client();
      expect(await browser.text('GET', '/')).toContain('<html lang="en">');
      await browser.request('POST', '/preferences', { theme: 'light', language: 'fr' });
      const french = await browser.text('GET', '/');
      expect(french).toContain('<html lang="fr">');
      expect(french).toContain('<h1>Compteur de visites</h1>');
      expect(french).toContain('>Boutique</a>');
      await browser.request('POST', '/preferences', { theme: 'dark', language: 'de' });
      const german = await browser.text('GET', '/shop');
      expect(german).toContain('<html lang="de">');
      expect(german).toContain('<h2>Ihr Warenkorb</h2>');
      expect(german).toContain('>Einstellungen</a>');
      expect(await client().text('GET', '/')).toContain('<html lang="en">');
    });
  });

  // Each on a server of its own: throttling this client would fail the tests above.
  describe(`demo on ${runtime}: password reset and change (F7)`, () => {
    let demo: RunningDemo;
    beforeAll(async () => {
      demo = await start();
    });
    afterAll(async () => {
      await demo?.stop();
    });
    const client = () => createClient(demo.origin);
    const resetAccount = { email: 'reset@example.com', password: 'password123' };

    async function resetLink(browser: ReturnType<typeof client>): Promise<string> {
      const page = await browser.text('POST', '/forgot', { email: resetAccount.email });
      const href = /id="reset-link" href="([^"]+)"/.exec(page)?.[1];
      expect(href).toMatch(/^\/reset\?token=t1\./);
      return (href as string).replace(/&amp;/g, '&');
    }
    const tokenOf = (link: string) => decodeURIComponent(link.split('token=')[1] as string);

    it('F7: forgot password: a single-use link sets the new password, revokes the other sessions, regenerates this one', async () => {
      const elsewhere = client();
      expect((await elsewhere.request('POST', '/login', resetAccount)).status).toBe(302);
      expect((await elsewhere.request('GET', '/dashboard')).status).toBe(200);

      const browser = client();
      await browser.text('GET', '/'); // a session of its own before the reset
      const before = browser.jar.get(SESSION_COOKIE);
      expect(await client().text('POST', '/forgot', { email: 'nobody@example.com' })).not.toContain(
        'reset-link',
      );
      const link = await resetLink(browser);
      const token = tokenOf(link);
      // Showing the form twice does not use the link up.
      expect(await browser.text('GET', link)).toContain('Choose a new password');
      expect((await browser.request('GET', link)).status).toBe(200);
      expect((await browser.request('POST', '/reset', { token, password: 'short' })).status).toBe(
        400,
      );

      const reset = await browser.request('POST', '/reset', { token, password: 'new-secret-1' });
      expect(reset.status).toBe(302);
      expect(reset.headers.get('location')).toMatch(/\/login$/);
      expect(browser.jar.get(SESSION_COOKIE)).not.toBe(before);
      expect(await browser.text('GET', '/login')).toContain('Your password was changed.');

      // Replayed: the link works once.
      const replay = await browser.request('POST', '/reset', { token, password: 'attacker-pw-1' });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain('already used');
      expect(await browser.text('GET', link)).toContain('already used');

      // The session signed in with the old password is over; the old password is too.
      expect((await elsewhere.request('GET', '/dashboard')).status).toBe(302);
      expect((await client().request('POST', '/login', resetAccount)).status).toBe(401);

      // Change it back while signed in (fresh login): the other sessions end again.
      const other = client();
      const changed = { email: resetAccount.email, password: 'new-secret-1' };
      expect((await other.request('POST', '/login', changed)).status).toBe(302);
      const signedIn = client();
      expect((await signedIn.request('POST', '/login', changed)).status).toBe(302);
      expect(await signedIn.text('GET', '/account/password')).toContain('Change password');
      const beforeChange = signedIn.jar.get(SESSION_COOKIE);
      const change = await signedIn.request('POST', '/account/password', {
        password: resetAccount.password,
      });
      expect(change.status).toBe(302);
      expect(signedIn.jar.get(SESSION_COOKIE)).not.toBe(beforeChange);
      expect(await signedIn.text('GET', '/dashboard')).toContain('Signed out 1 other sessions.');
      expect((await other.request('GET', '/dashboard')).status).toBe(302);
      expect((await client().request('POST', '/login', resetAccount)).status).toBe(302);
    });

    it('F7: tampered and malformed reset tokens are refused (400), never a 500', async () => {
      const browser = client();
      const token = tokenOf(await resetLink(browser));
      const flipped = token.slice(0, 30) + (token[30] === 'A' ? 'B' : 'A') + token.slice(31);
      for (const bad of [flipped, token.slice(0, -3), 'garbage', '', 'x'.repeat(10_000)]) {
        const get = await browser.request('GET', `/reset?token=${encodeURIComponent(bad)}`);
        expect(get.status).toBe(400);
        expect(await get.text()).toContain('not valid');
        const post = await browser.request('POST', '/reset', {
          token: bad,
          password: 'whatever-1',
        });
        expect(post.status).toBe(400);
      }
      // The untampered token still works after all that (and is then used up).
      expect(
        (await browser.request('GET', `/reset?token=${encodeURIComponent(token)}`)).status,
      ).toBe(200);
    });

    it('F7: changing the password needs a signed-in user', async () => {
      const anonymous = client();
      expect((await anonymous.request('GET', '/account/password')).headers.get('location')).toMatch(
        /\/login$/,
      );
      const post = await anonymous.request('POST', '/account/password', { password: 'hijacked-1' });
      expect(post.headers.get('location')).toMatch(/\/login$/);
    });
  });

  describe(`demo on ${runtime}: login throttling`, () => {
    const wrongPassword = (email: string) => ({ email, password: 'not-the-password' });
    const statuses = async (responses: Promise<Response>[]) =>
      (await Promise.all(responses)).map((response) => response.status);
    const count = (list: number[], status: number) => list.filter((s) => s === status).length;

    it('H13: an account backs off after 5 failures (429 + Retry-After), even for the right password', async () => {
      const demo = await start();
      try {
        const browser = createClient(demo.origin);
        // Concurrent guesses: each is counted before its hash runs, so exactly 5 get through.
        const burst = await statuses(
          Array.from({ length: 8 }, () =>
            browser.request('POST', '/login', wrongPassword(login.email)),
          ),
        );
        expect([count(burst, 401), count(burst, 429)]).toEqual([5, 3]);
        const right = await browser.request('POST', '/login', login);
        expect(right.status).toBe(429);
        const retryAfter = Number(right.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 30).toBe(true);
        expect(await right.text()).toContain('Too many failed attempts');
        // Other accounts from this client are not held back by this one.
        const other = await browser.request('POST', '/login', wrongPassword('other@example.com'));
        expect(other.status).toBe(401);
      } finally {
        await demo.stop();
      }
    });

    it('H13: a client backs off after 20 failures across accounts (password spraying)', async () => {
      const demo = await start();
      try {
        const sprayer = createClient(demo.origin);
        const burst = await statuses(
          Array.from({ length: 25 }, (_, i) =>
            sprayer.request('POST', '/login', wrongPassword(`user${i}@example.com`)),
          ),
        );
        expect([count(burst, 401), count(burst, 429)]).toEqual([20, 5]);
        expect((await sprayer.request('POST', '/login', login)).status).toBe(429);
      } finally {
        await demo.stop();
      }
    });
  });
}
