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

/** One route of the scenario app: the adapter mounts it and answers `handle`'s text, status 200. */
export interface ScenarioRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The response text. `/plain` ignores the session: it must cost nothing. */
  readonly handle: (session: Session<ScenarioData, ScenarioFlash>) => Promise<string>;
}

/** The routes every adapter serves for {@link describeAdapterScenarios}. */
export const scenarioRoutes: readonly ScenarioRoute[] = [
  {
    method: 'GET',
    path: '/count',
    handle: async (session) => {
      const count = ((await session.get('count')) ?? 0) + 1;
      await session.set('count', count);
      return `count=${count}`;
    },
  },
  {
    method: 'GET',
    path: '/peek',
    handle: async (session) => `user=${(await session.get('user')) ?? 'none'}`,
  },
  {
    method: 'POST',
    path: '/login',
    handle: async (session) => {
      await session.regenerate();
      await session.set('user', 'ada');
      await session.flash('notice', 'welcome');
      return 'logged-in';
    },
  },
  {
    method: 'POST',
    path: '/logout',
    handle: async (session) => {
      await session.destroy();
      await session.flash('notice', 'bye');
      return 'logged-out';
    },
  },
  {
    method: 'GET',
    path: '/notice',
    handle: async (session) => `notice=${(await session.takeFlash('notice')) ?? 'none'}`,
  },
  { method: 'GET', path: '/plain', handle: async () => 'plain' },
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
   * text as a 200 response; store failures answered by the adapter).
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
 * `Cache-Control` (S22) and a store outage answered with 503 (S29).
 */
export function describeAdapterScenarios(options: AdapterScenarioOptions): void {
  describe(`adapter scenarios: ${options.name}`, () => {
    let store: SwitchableStore;
    let server: ScenarioServer;

    beforeAll(async () => {
      store = createSwitchableStore(options.createStore());
      server = await options.serve(
        createSessionManager<ScenarioData, ScenarioFlash>({ store, secrets: SECRET }),
      );
    });
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
            if (!pair.startsWith('sid=')) continue;
            cookie = /;\s*max-age=0/i.test(setCookie) ? '' : pair;
          }
          return { response, text: await response.text() };
        },
      };
    }

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
      expect(response.headers.getSetCookie().filter((c) => c.startsWith('sid='))).toHaveLength(1);
      expect(user.cookie).not.toBe(loggedIn);
      expect((await user.go('GET', '/peek')).text).toBe('user=none');
      expect((await user.go('GET', '/notice')).text).toBe('notice=bye');
      expect((await browser(loggedIn).go('GET', '/peek')).text).toBe('user=none'); // replay
    });

    it('S22: Vary: Cookie when the session is used, Cache-Control: no-store with a cookie, nothing otherwise', async () => {
      const user = browser();
      const first = await user.go('GET', '/count');
      expect(first.response.headers.getSetCookie().some((c) => c.startsWith('sid='))).toBe(true);
      expect(first.response.headers.get('cache-control')).toBe('no-store');
      expect(first.response.headers.get('vary')?.toLowerCase()).toContain('cookie');
      const read = await user.go('GET', '/peek');
      expect(read.response.headers.get('vary')?.toLowerCase()).toContain('cookie');
      expect(read.response.headers.getSetCookie()).toHaveLength(0);
      const plain = await user.go('GET', '/plain');
      expect(plain.text).toBe('plain');
      // Frameworks may vary on headers of their own (Next.js does); never on the cookie here.
      expect(varyIncludesCookie(plain.response.headers.get('vary'))).toBe(false);
      expect(plain.response.headers.getSetCookie()).toHaveLength(0);
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
