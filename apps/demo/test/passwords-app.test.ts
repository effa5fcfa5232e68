import { createSessionManager } from '@fetch-session/core';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { createDemoApp } from '../src/app.js';
import { createLoginThrottle } from '../src/login-throttle.js';
import type { DemoData, DemoFlash } from '../src/session-types.js';

// The demo app in this process on a test clock: expiry of reset links and freshness of logins
// are decided by the manager's clock, so the test moves it instead of waiting.
function demoOnTestClock() {
  const clock = createTestClock();
  const sessions = createSessionManager<DemoData, DemoFlash>({
    store: memoryStore({ now: clock.now }),
    secrets: ['a-test-secret-of-at-least-32-bytes!!'],
    now: clock.now,
  });
  const app = createDemoApp({
    sessions,
    debugRoutes: false,
    clientAddress: () => '192.0.2.1',
    loginThrottle: createLoginThrottle({ now: clock.now }),
  });
  let cookie = '';
  const request = async (method: string, path: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = { origin: 'http://localhost' };
    if (cookie !== '') headers.cookie = cookie;
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await app.request(path, {
      method,
      headers,
      ...(form !== undefined && { body: new URLSearchParams(form) }),
    });
    const set = response.headers.getSetCookie().find((line) => line.startsWith('sid='));
    if (set !== undefined) cookie = set.split(';')[0] as string;
    return response;
  };
  return { clock, sessions, request };
}

describe('F7: reset links and fresh logins on the test clock', () => {
  it('F7: an expired reset link is refused (400), one second before it works', async () => {
    const { clock, request } = demoOnTestClock();
    const page = await (await request('POST', '/forgot', { email: 'reset@example.com' })).text();
    const href = /id="reset-link" href="([^"]+)"/.exec(page)?.[1] ?? '';
    const link = href.replace(/&amp;/g, '&');
    expect(link).toMatch(/^\/reset\?token=t1\./);
    clock.advance(15 * 60_000 - 1_000);
    expect((await request('GET', link)).status).toBe(200);
    clock.advance(1_000);
    const expired = await request('GET', link);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('expired');
    const token = decodeURIComponent(link.split('token=')[1] as string);
    expect((await request('POST', '/reset', { token, password: 'new-secret-1' })).status).toBe(400);
  });

  it('F7: a token sealed for another purpose is refused by the reset form', async () => {
    const { sessions, request } = demoOnTestClock();
    const token = await sessions.tokens.seal(
      { email: 'reset@example.com' },
      { purpose: 'verify-email', expiresIn: 900 },
    );
    const response = await request('POST', '/reset', { token, password: 'new-secret-1' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not a password-reset link');
  });

  it('F7: a password change 10 minutes after login asks for the password again first', async () => {
    const { clock, request } = demoOnTestClock();
    const login = { email: 'test@example.com', password: 'password123' };
    expect((await request('POST', '/login', login)).status).toBe(302);
    clock.advance(10 * 60_000 - 1);
    expect((await request('GET', '/account/password')).status).toBe(200);
    clock.advance(1);
    expect((await request('GET', '/account/password')).headers.get('location')).toMatch(
      /\/reauth$/,
    );
    const refused = await request('POST', '/account/password', { password: 'hijacked-1' });
    expect(refused.headers.get('location')).toMatch(/\/reauth$/);
    expect(
      (await request('POST', '/reauth', { password: 'wrong' })).headers.get('location'),
    ).toMatch(/\/reauth$/);
    expect((await request('GET', '/account/password')).status).toBe(302);
    const reauth = await request('POST', '/reauth', { password: 'password123' });
    expect(reauth.headers.get('location')).toMatch(/\/account\/password$/);
    expect((await request('GET', '/account/password')).status).toBe(200);
  });
});
