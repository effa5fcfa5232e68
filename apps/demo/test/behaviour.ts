import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from './demo-client.js';

/** A running demo server. */
export interface RunningDemo {
  origin: string;
  stop(): Promise<void>;
}

/**
 * The demo's behaviour over HTTP, the same on every runtime: counter, stored data, login,
 * dashboard, cart, logout, a tampered cookie and a fixation attempt.
 */
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
    const login = { email: 'test@example.com', password: 'password123' };

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
      const before = browser.jar.get('sid');
      expect(
        (await browser.request('POST', '/login', { email: 'test@example.com', password: 'wrong' }))
          .status,
      ).toBe(401);
      const response = await browser.request('POST', '/login', login);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toMatch(/\/dashboard$/);
      expect(browser.jar.get('sid')).not.toBe(before);
      const dashboard = await browser.text('GET', '/dashboard');
      expect(dashboard).toContain('Welcome to your dashboard, Test User!');
      expect(dashboard).toContain('Welcome back, Test User!');
      const loggedIn = browser.jar.get('sid');
      const logout = await browser.request('POST', '/logout');
      expect(logout.headers.get('location')).toMatch(/\/login$/);
      expect(await browser.text('GET', '/login')).toContain('You have been logged out.');
      expect((await browser.request('GET', '/dashboard')).status).toBe(302);
      const replay = createClient(demo.origin);
      replay.jar.set('sid', loggedIn as string);
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
      const sid = browser.jar.get('sid') as string;
      const tampered = createClient(demo.origin);
      tampered.jar.set('sid', `${sid.slice(0, 10)}${sid[10] === 'A' ? 'B' : 'A'}${sid.slice(11)}`);
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
      victim.jar.set('sid', attacker.jar.get('sid') as string);
      await victim.request('POST', '/login', login);
      expect(await victim.text('GET', '/dashboard')).toContain(
        'Welcome to your dashboard, Test User!',
      );
      expect((await attacker.request('GET', '/dashboard')).status).toBe(302);
    });
  });
}
