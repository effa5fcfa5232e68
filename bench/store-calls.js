/**
 * Store calls per request type, counted with `countStoreCalls` around a memory store and a
 * test clock (to make a touch due). Imported lazily: the testing entry loads vitest.
 */
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { cookieFrom } from './check.js';
import { SECRET, sessionRead, sessionWrite } from './handlers.js';

const BASE_URL = 'http://localhost/';
const TOUCH_AFTER_MS = 8640 * 1000; // default touchAfter: idleTimeout (1 day) / 10

export async function countCalls() {
  const { countStoreCalls, createTestClock } = await import('@fetch-session/core/testing');
  const clock = createTestClock();
  const store = countStoreCalls(memoryStore({ now: clock.now }));
  const sessions = createSessionManager({ store, secrets: [SECRET], now: clock.now });
  const routes = {
    read: sessions.wrap(sessionRead),
    write: sessions.wrap(sessionWrite),
    untouched: sessions.wrap(() => new Response('count=0')),
    regenerate: sessions.wrap(async (_request, session) => {
      await session.regenerate();
      return new Response('ok');
    }),
    destroy: sessions.wrap(async (_request, session) => {
      await session.destroy();
      return new Response('ok');
    }),
  };
  const request = (cookie) =>
    new Request(BASE_URL, cookie === undefined ? undefined : { headers: { cookie } });
  const newCookie = async () => cookieFrom(await routes.write(request()));

  const rows = [];
  async function count(name, route, cookie, before) {
    await before?.();
    store.reset();
    const response = await route(request(cookie));
    rows.push({ name, ...store.calls, setCookie: response.headers.getSetCookie().length > 0 });
  }

  await count('new visitor (writes)', routes.write);
  await count('new visitor (reads only)', routes.read);
  const cookie = await newCookie();
  await count('read', routes.read, cookie);
  await count('write', routes.write, cookie);
  await count('untouched route', routes.untouched, cookie);
  await count('touch (read after touchAfter)', routes.read, cookie, () =>
    clock.advance(TOUCH_AFTER_MS + 1000),
  );
  await count('read right after the touch', routes.read, cookie);
  await count('regenerate', routes.regenerate, await newCookie());
  await count('destroy', routes.destroy, await newCookie());
  await count('forged cookie (read)', routes.read, `sid=${cookie.slice(4, -2)}xx`);
  return rows;
}
