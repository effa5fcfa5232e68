/**
 * The fetch handlers under test, shared by the in-process and the HTTP benchmarks so both
 * measure exactly the same code. Each variant is a factory: it builds its own session manager
 * and memory store, so variants never share state.
 */
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';

/** At least 32 bytes, as production configuration requires. */
export const SECRET = 'fetch-session-bench-secret-0123456789abcdef';
const TEXT = 'text/plain; charset=UTF-8';

/** A value of the session cookie's shape (`<43>.<43>`), for baselines that have no session. */
export const FAKE_COOKIE_VALUE = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
/** What the session manager's default cookie settings produce for a new session. */
const FAKE_SET_COOKIE = `sid=${FAKE_COOKIE_VALUE}; Path=/; HttpOnly; Secure; SameSite=Lax`;

/** The normal configuration: memory store, one signing secret, default cookie. */
export function createSessions({ now } = {}) {
  return createSessionManager({ store: memoryStore({ now }), secrets: [SECRET], now });
}

// The routes without sessions keep their counter in a module variable.
let counter = 0;

/** The bare counter route: no session, no extra headers. */
export const readCounter = () => new Response(`count=${counter}`);

/** The same route returning `Vary: Cookie`, as a session route must (fair baseline). */
export const readCounterVary = () =>
  new Response(`count=${counter}`, { headers: { 'content-type': TEXT, vary: 'Cookie' } });

/** The incrementing route with `Vary: Cookie` (fair baseline of read-write, in process). */
export const writeCounterVary = () =>
  new Response(`count=${++counter}`, { headers: { 'content-type': TEXT, vary: 'Cookie' } });

/** A new visitor's response without sessions: the same headers a new session adds. */
export const newVisitorBaseline = () =>
  new Response('count=1', {
    headers: {
      'content-type': TEXT,
      vary: 'Cookie',
      'set-cookie': FAKE_SET_COOKIE,
      'cache-control': 'private, no-store',
    },
  });

/** Session route that only reads the counter. */
export async function sessionRead(_request, session) {
  const count = (await session.get('count')) ?? 0;
  return new Response(`count=${count}`);
}

/** Session route that reads, increments and writes the counter. */
export async function sessionWrite(_request, session) {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return new Response(`count=${count}`);
}

/** The cheapest wrapper possible: the fair baseline of a route behind the session wrapper. */
export function noopWrap(handler) {
  return async (request, ...args) => {
    const response = await handler(request, ...args);
    return response;
  };
}

/** Sessions held besides the measured one in the `session-read-full` variant. */
export const OTHER_SESSIONS = 9_999;

async function withSessions(route, otherSessions = 0) {
  const sessions = createSessions();
  // `seed` creates a session and returns its cookie; the HTTP servers expose it on a second port.
  const seed = sessions.wrap(sessionWrite);
  for (let i = 0; i < otherSessions; i++) await seed(new Request('http://localhost/'));
  return { fetch: sessions.wrap(route), seed };
}

/**
 * Every variant: how to build it (`create` may be async), whether requests carry a cookie, and
 * the headers its response (`cacheControl`: absent means none)
 * must have (checked once before measuring, so a broken variant cannot produce a number).
 */
export const VARIANTS = {
  bare: { create: () => ({ fetch: readCounter }), cookie: 'fake', vary: false, setCookie: false },
  noop: {
    create: () => ({ fetch: noopWrap(readCounter) }),
    cookie: 'fake',
    vary: false,
    setCookie: false,
  },
  vary: {
    create: () => ({ fetch: readCounterVary }),
    cookie: 'fake',
    vary: true,
    setCookie: false,
  },
  'vary-write': {
    create: () => ({ fetch: writeCounterVary }),
    cookie: 'fake',
    vary: true,
    setCookie: false,
  },
  'session-read': {
    create: () => withSessions(sessionRead),
    cookie: 'session',
    vary: true,
    setCookie: false,
    cacheControl: 'private, no-store',
  },
  'session-read-full': {
    create: () => withSessions(sessionRead, OTHER_SESSIONS),
    cookie: 'session',
    vary: true,
    setCookie: false,
    cacheControl: 'private, no-store',
  },
  'session-write': {
    create: () => withSessions(sessionWrite),
    cookie: 'session',
    vary: true,
    setCookie: false,
    cacheControl: 'private, no-store',
  },
  'new-baseline': {
    create: () => ({ fetch: newVisitorBaseline }),
    cookie: 'none',
    vary: true,
    setCookie: true,
    cacheControl: 'private, no-store',
  },
  'session-new': {
    create: () => withSessions(sessionWrite),
    cookie: 'none',
    vary: true,
    setCookie: true,
    cacheControl: 'private, no-store',
  },
  'session-untouched': {
    create: () => withSessions(readCounter),
    cookie: 'session',
    vary: false,
    setCookie: false,
  },
};

/**
 * Scenarios compare a session variant with its fair baseline (same route, same response
 * headers, no session) and with the bare route. `target` is the ratio the project aims for.
 */
export const SCENARIOS = [
  { name: 'read-only', session: 'session-read', baseline: 'vary', target: 0.85 },
  // Over HTTP the read-write baseline is `vary` too: it differs from `vary-write` by one `++`.
  {
    name: 'read-write',
    session: 'session-write',
    baseline: 'vary-write',
    httpBaseline: 'vary',
    target: 0.75,
  },
  { name: 'new visitor', session: 'session-new', baseline: 'new-baseline' },
  // The same read while the store and the verified-cookie cache hold 9,999 other sessions.
  { name: 'read-only, 10k sessions held', session: 'session-read-full', baseline: 'vary' },
  { name: 'untouched route', session: 'session-untouched', baseline: 'noop', target: 0.95 },
];

/** The variants measured over HTTP (each in its own server process). */
export const HTTP_VARIANTS = [
  'bare',
  'noop',
  'vary',
  'session-read',
  'session-read-full',
  'session-write',
  'new-baseline',
  'session-new',
  'session-untouched',
];
