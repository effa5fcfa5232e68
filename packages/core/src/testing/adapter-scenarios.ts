import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { varyIncludesCookie } from '../response-headers.js';
import type { Session } from '../session.js';
import { createSessionManager, type SessionManager } from '../session-manager.js';
import type { SessionStore } from '../store.js';
import { createSwitchableStore, type SwitchableStore } from './failing-store.js';

/** Session data of the scenario app. */
export interface ScenarioData {
  count: number;
  user: string;
}
/** Flash values of the scenario app. */
export interface ScenarioFlash {
  notice: string;
}

/** What a scenario route answers: the adapter sends it as it is (status, headers, text body). */
export interface ScenarioReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** One route of the scenario app: the adapter mounts it and sends `handle`'s reply. */
export interface ScenarioRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /**
   * The reply, or a throw (`/fail`: the adapter answers it as its framework answers errors,
   * with a 5xx). `/plain` and `/public` ignore the session: they must cost nothing.
   */
  readonly handle: (session: Session<ScenarioData, ScenarioFlash>) => Promise<ScenarioReply>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8' };
/** An app policy that lets shared caches store the response. */
const PUBLIC = { ...TEXT, 'cache-control': 'public, max-age=3600' };

function reply(body: string, init: { status?: number; headers?: Record<string, string> } = {}) {
  return { status: init.status ?? 200, headers: init.headers ?? TEXT, body };
}

async function increment(session: Session<ScenarioData, ScenarioFlash>): Promise<number> {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return count;
}

/** The routes every adapter serves for {@link describeAdapterScenarios}. */
export const scenarioRoutes: readonly ScenarioRoute[] = [
  {
    method: 'GET',
    path: '/count',
    handle: async (session) => reply(`count=${await increment(session)}`),
  },
  {
    method: 'GET',
    path: '/count-public',
    handle: async (session) => reply(`count=${await increment(session)}`, { headers: PUBLIC }),
  },
  {
    method: 'GET',
    path: '/peek',
    handle: async (session) => reply(`user=${(await session.get('user')) ?? 'none'}`),
  },
  {
    method: 'POST',
    path: '/login',
    handle: async (session) => {
      await session.regenerate();
      await session.set('user', 'ada');
      await session.flash('notice', 'welcome');
      return reply('logged-in');
    },
  },
  {
    method: 'POST',
    path: '/logout',
    handle: async (session) => {
      await session.destroy();
      await session.flash('notice', 'bye');
      return reply('logged-out');
    },
  },
  {
    method: 'POST',
    path: '/logout-clear',
    handle: async (session) => {
      await session.destroy({ clearSiteData: true });
      return reply('logged-out');
    },
  },
  {
    method: 'GET',
    path: '/notice',
    handle: async (session) => reply(`notice=${(await session.takeFlash('notice')) ?? 'none'}`),
  },
  {
    method: 'POST',
    path: '/fail',
    handle: async (session) => {
      await session.set('count', 1000);
      await session.flash('notice', 'half-done');
      throw new Error('scenario: the handler failed after changing the session');
    },
  },
  {
    method: 'POST',
    path: '/fail-502',
    handle: async (session) => {
      await session.set('count', 1000);
      return reply('bad gateway', { status: 502 });
    },
  },
  {
    method: 'GET',
    path: '/csrf',
    handle: async (session) => reply(`csrf=${await session.csrfToken()}`),
  },
  {
    method: 'POST',
    path: '/csrf-check',
    // The route sees only the session, so it checks the stored token against hostile forms of it.
    handle: async (session) => {
      const token = await session.csrfToken();
      const forged = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
      const checks = [token, forged, '', token.slice(1), `${token}A`, undefined];
      const verdicts = await Promise.all(checks.map((c) => session.verifyCsrfToken(c)));
      return reply(`csrf=${token};verdicts=${verdicts.join(',')}`);
    },
  },
  { method: 'GET', path: '/plain', handle: async () => reply('plain') },
  { method: 'GET', path: '/public', handle: async () => reply('public', { headers: PUBLIC }) },
];

/** A running scenario app. `fetch` takes a path (`/count`) and returns the response. */
export interface ScenarioServer {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Options of {@link describeAdapterScenarios}. */
export interface AdapterScenarioOptions {
  /** Shown in the test names, e.g. `hono (node-server)`. */
  name: string;
  /**
   * Starts the framework app serving {@link scenarioRoutes} with this manager (each route's
   * reply as it is, a thrown error as the framework answers errors; store failures answered
   * by the adapter).
   */
  serve: (sessions: SessionManager<ScenarioData, ScenarioFlash>) => Promise<ScenarioServer>;
  /** A fresh store (e.g. `memoryStore()`); the suite puts an outage switch in front of it. */
  createStore: () => SessionStore;
  /**
   * For apps in another process, which cannot use the suite's store: also switch the app's
   * own store into (and out of) an outage.
   */
  setStoreFailing?: (failing: boolean) => Promise<void>;
}

const SECRET = 'adapter-scenarios-secret-0123456789abcdef';

/**
 * Behavioural scenarios every adapter must pass, the same for all: a counter, login with
 * `regenerate()`, logout with `destroy()`, flash, a fixation attempt (S14), `Vary` and
 * `Cache-Control` (S22), a failed handler that commits nothing, and a store outage answered
 * with 503 (S29).
 */
export function describeAdapterScenarios(options: AdapterScenarioOptions): void {
  describe(`adapter scenarios: ${options.name}`, () => {
    let store: SwitchableStore;
    let server: ScenarioServer;
    let cookieName: string;

    beforeAll(async () => {
      store = createSwitchableStore(options.createStore());
      const sessions = createSessionManager<ScenarioData, ScenarioFlash>({
        store,
        secrets: SECRET,
      });
      cookieName = sessions.cookieName;
      server = await options.serve(sessions);
    });

    /** The session's own `Set-Cookie` headers on a response. */
    const sessionCookies = (response: Response): string[] =>
      response.headers.getSetCookie().filter((c) => c.startsWith(`${cookieName}=`));
    afterAll(async () => {
      await server?.close();
    });

    /** A browser: carries the session cookie from response to request. */
    function browser(initialCookie = '') {
      let cookie = initialCookie;
      return {
        get cookie() {
          return cookie;
        },
        async go(method: 'GET' | 'POST', path: string) {
          const response = await server.fetch(path, { method, headers: cookie ? { cookie } : {} });
          for (const setCookie of response.headers.getSetCookie()) {
            const pair = setCookie.split(';')[0] as string;
            if (!pair.startsWith(`${cookieName}=`)) continue;
            cookie = /;\s*max-age=0/i.test(setCookie) ? '' : pair;
          }
          return { response, text: await response.text() };
        },
      };
    }

    it('F4: the CSRF token is stable across requests, refuses forgeries and rotates at login', async () => {
      const user = browser();
      const token = (await user.go('GET', '/csrf')).text.slice('csrf='.length);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await user.go('GET', '/csrf')).text).toBe(`csrf=${token}`);
      expect((await user.go('POST', '/csrf-check')).text).toBe(
        `csrf=${token};verdicts=true,false,false,false,false,false`,
      );
      expect((await browser().go('GET', '/csrf')).text).not.toBe(`csrf=${token}`);
      await user.go('POST', '/login'); // regenerate()
      const rotated = (await user.go('GET', '/csrf')).text.slice('csrf='.length);
      expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(rotated).not.toBe(token);
    });

    it('counts visits per browser', async () => {
      const alice = browser();
      const bob = browser();
      expect((await alice.go('GET', '/count')).text).toBe('count=1');
      expect((await alice.go('GET', '/count')).text).toBe('count=2');
      expect((await bob.go('GET', '/count')).text).toBe('count=1');
      expect((await alice.go('GET', '/count')).text).toBe('count=3');
    });

    it("S14: a planted cookie is not authenticated by the victim's login (regenerate)", async () => {
      const attacker = browser();
      await attacker.go('GET', '/count'); // the attacker obtains a valid session cookie
      const victim = browser(attacker.cookie); // ... and plants it in the victim's browser
      await victim.go('POST', '/login');
      expect(victim.cookie).not.toBe(attacker.cookie);
      expect((await victim.go('GET', '/peek')).text).toBe('user=ada');
      expect((await attacker.go('GET', '/peek')).text).toBe('user=none');
    });

    it('login flashes once; logout destroys the session and flashes on a new one', async () => {
      const user = browser();
      await user.go('POST', '/login');
      expect((await user.go('GET', '/notice')).text).toBe('notice=welcome');
      expect((await user.go('GET', '/notice')).text).toBe('notice=none');
      const loggedIn = user.cookie;
      const { response } = await user.go('POST', '/logout');
      expect(sessionCookies(response)).toHaveLength(1);
      expect(user.cookie).not.toBe(loggedIn);
      expect((await user.go('GET', '/peek')).text).toBe('user=none');
      expect((await user.go('GET', '/notice')).text).toBe('notice=bye');
      expect((await browser(loggedIn).go('GET', '/peek')).text).toBe('user=none'); // replay
    });

    it('S23: destroy({ clearSiteData: true }) adds Clear-Site-Data: "cookies", "storage"; a plain logout does not', async () => {
      const user = browser();
      await user.go('POST', '/login');
      const plain = await user.go('POST', '/logout');
      expect(plain.response.headers.get('clear-site-data')).toBeNull();
      await user.go('POST', '/login');
      const loggedIn = user.cookie;
      const { response } = await user.go('POST', '/logout-clear');
      expect(response.headers.get('clear-site-data')).toBe('"cookies", "storage"');
      expect(sessionCookies(response)).toHaveLength(1);
      expect((await browser(loggedIn).go('GET', '/peek')).text).toBe('user=none');
    });

    it('S22: Vary: Cookie when the session is used; Cache-Control: private, no-store with the cookie or a stored session; nothing otherwise', async () => {
      const user = browser();
      const first = await user.go('GET', '/count');
      expect(sessionCookies(first.response)).toHaveLength(1);
      expect(first.response.headers.get('cache-control')).toBe('private, no-store');
      expect(varyIncludesCookie(first.response.headers.get('vary'))).toBe(true);
      const read = await user.go('GET', '/peek'); // a page showing a stored session
      expect(varyIncludesCookie(read.response.headers.get('vary'))).toBe(true);
      expect(read.response.headers.getSetCookie()).toHaveLength(0);
      expect(read.response.headers.get('cache-control')).toBe('private, no-store');
      const anonymous = await browser().go('GET', '/peek'); // nothing stored behind it
      expect(anonymous.text).toBe('user=none');
      expect(varyIncludesCookie(anonymous.response.headers.get('vary'))).toBe(true);
      expect(anonymous.response.headers.get('cache-control')).toBeNull();
      const plain = await user.go('GET', '/plain');
      expect(plain.text).toBe('plain');
      // Frameworks may vary on headers of their own (Next.js does); never on the cookie here.
      expect(varyIncludesCookie(plain.response.headers.get('vary'))).toBe(false);
      expect(plain.response.headers.getSetCookie()).toHaveLength(0);
      expect(plain.response.headers.get('cache-control')).toBeNull();
    });

    it("S22: the app's public Cache-Control is replaced when the cookie is set or a stored session is shown, and kept elsewhere", async () => {
      const user = browser();
      const created = await user.go('GET', '/count-public');
      expect(sessionCookies(created.response)).toHaveLength(1);
      expect(created.response.headers.get('cache-control')).toBe('private, no-store');
      const stored = await user.go('GET', '/count-public');
      expect(stored.text).toBe('count=2');
      expect(stored.response.headers.getSetCookie()).toHaveLength(0);
      expect(stored.response.headers.get('cache-control')).toBe('private, no-store');
      const untouched = await user.go('GET', '/public');
      expect(untouched.text).toBe('public');
      expect(untouched.response.headers.get('cache-control')).toBe('public, max-age=3600');
    });

    it('a handler that throws or answers 5xx commits nothing: no Set-Cookie, the session as it was', async () => {
      const user = browser();
      await user.go('GET', '/count');
      const before = user.cookie;
      const thrown = await user.go('POST', '/fail');
      expect(thrown.response.status).toBeGreaterThanOrEqual(500);
      expect(sessionCookies(thrown.response)).toHaveLength(0);
      const answered = await user.go('POST', '/fail-502');
      expect(answered.response.status).toBe(502);
      expect(sessionCookies(answered.response)).toHaveLength(0);
      expect(user.cookie).toBe(before);
      expect((await user.go('GET', '/count')).text).toBe('count=2');
      expect((await user.go('GET', '/notice')).text).toBe('notice=none');

      const visitor = browser(); // a new visitor's changes would mint an ID: none is sent
      expect(sessionCookies((await visitor.go('POST', '/fail')).response)).toHaveLength(0);
      expect(sessionCookies((await visitor.go('POST', '/fail-502')).response)).toHaveLength(0);
      expect(visitor.cookie).toBe('');
    });

    it('S29: a store outage is a 503, and the session is intact afterwards', async () => {
      const user = browser();
      await user.go('GET', '/count');
      await user.go('GET', '/count');
      store.failing = true;
      await options.setStoreFailing?.(true);
      try {
        const during = await user.go('GET', '/count');
        expect(during.response.status).toBe(503);
        expect(during.response.headers.getSetCookie()).toHaveLength(0);
      } finally {
        store.failing = false;
        await options.setStoreFailing?.(false);
      }
      expect((await user.go('GET', '/count')).text).toBe('count=3');
    });
  });
}
