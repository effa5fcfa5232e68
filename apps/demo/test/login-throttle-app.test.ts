import { createSessionManager } from '@fetch-session/core';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { expect, it } from 'vitest';
import { createDemoApp } from '../src/app.js';
import { createLoginThrottle } from '../src/login-throttle.js';
import type { DemoData, DemoFlash } from '../src/session-types.js';

// The demo app in this process with the throttle on a test clock: the wait the 429 announces is
// exact, and once the clock has moved past it the right password logs in.
it("H13: Retry-After is the throttle's wait, and the login works once it has passed", async () => {
  const clock = createTestClock();
  const app = createDemoApp({
    sessions: createSessionManager<DemoData, DemoFlash>({
      store: memoryStore({ now: clock.now }),
      secrets: ['a-test-secret-of-at-least-32-bytes!!'],
      now: clock.now,
    }),
    debugRoutes: false,
    clientAddress: () => '192.0.2.1',
    loginThrottle: createLoginThrottle({ now: clock.now }),
  });
  const post = (password: string) =>
    app.request('/login', {
      method: 'POST',
      headers: {
        origin: 'http://localhost',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ email: 'test@example.com', password }),
    });
  for (let i = 0; i < 5; i++) expect((await post('wrong')).status).toBe(401);
  const throttled = await post('password123');
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get('retry-after')).toBe('30');
  clock.advance(29_999);
  expect((await post('password123')).headers.get('retry-after')).toBe('1');
  clock.advance(1);
  const loggedIn = await post('password123');
  expect(loggedIn.status).toBe(302);
  expect(loggedIn.headers.get('location')).toBe('/dashboard');
});
