/**
 * The test Worker: the store and session managers run here, inside workerd, against a real
 * Miniflare KV namespace. Bundled with esbuild by helpers/test-worker.ts.
 *
 * Routes (all JSON):
 * - `POST /store/{load,write,touch,delete,listUserSessions}`: the main store's methods (see
 *   store-rpc.ts).
 * - `GET /app/...`, `/touchy/app/...`, `/short/app/...`: a session app (session-app.ts) on the
 *   main store, with the default touch interval, with a touch on every request, and with a
 *   30-second idle timeout.
 * - `GET /kv/calls`: the main store's KV calls since the last look.
 * - `GET /kv/list?prefix=`, `/kv/get?key=`: the namespace as KV sees it (names, expirations,
 *   metadata); `POST /kv/put [{key, value, metadata}]` writes past the store.
 * - `POST /flaky/fail {count, message}`, `POST /flaky/store/...`: a store whose next writes fail.
 * - `POST /clocked/store/...`: a store on a test clock that stands still until
 *   `POST /clock/advance {ms}` moves it; `GET /clock/now` reads it. Expiry tests use it, so
 *   they never depend on how fast a busy machine runs them.
 * - `/stale/{a,b,off}/store/...`, `/stale/{a,b}/app/...`: two isolates' stores (and one without
 *   tombstones) in one stale location (stale-read-kv.ts).
 */
import { cloudflareKvStore } from '@fetch-session/cloudflare-kv';
import { createSessionManager, type SessionStore } from '@fetch-session/core';
import { createStaleReadKv } from '../stale-read-kv.js';
import { countKvCalls } from './counting-kv.js';
import type { Env } from './env.js';
import { createFlakyKv } from './flaky-kv.js';
import { type AppData, sessionApp } from './session-app.js';
import { callStore } from './store-rpc.js';

const TEST_SECRET = 'test-worker-secret-0123456789abcdef0123';

type Handler = (request: Request) => Promise<Response>;

/** Everything a real app would create once per isolate: stores and managers. */
interface Isolate {
  readonly stores: Record<string, SessionStore>;
  readonly apps: Record<string, Handler>;
  readonly counted: ReturnType<typeof countKvCalls>;
  readonly flaky: ReturnType<typeof createFlakyKv>;
  readonly clock: StillClock;
}

/** A test clock: the time of its first reading, then moved only by `advance`. */
interface StillClock {
  now(): number;
  advance(ms: number): void;
}

function stillClock(): StillClock {
  let time: number | undefined;
  return {
    now: () => {
      time ??= Date.now();
      return time;
    },
    advance(ms) {
      time = (time ?? Date.now()) + ms;
    },
  };
}

let isolate: Isolate | undefined;

/** Built on the first request, from its `env`, then reused: the pattern the README shows. */
function getIsolate(env: Env): Isolate {
  if (isolate !== undefined) return isolate;
  const counted = countKvCalls(env.SESSIONS);
  const flaky = createFlakyKv(env.SESSIONS);
  const stale = createStaleReadKv(env.SESSIONS);
  const main = cloudflareKvStore({ namespace: counted.kv });
  const clock = stillClock();
  const staleA = cloudflareKvStore({ namespace: stale });
  const staleB = cloudflareKvStore({ namespace: stale });
  const app = (
    store: SessionStore,
    keyPrefix: string,
    extra: { idleTimeout?: number; touchAfter?: number } = {},
  ) =>
    sessionApp(
      createSessionManager<AppData, AppData>({ store, secrets: TEST_SECRET, keyPrefix, ...extra }),
    );
  isolate = {
    counted,
    flaky,
    clock,
    stores: {
      clocked: cloudflareKvStore({ namespace: env.SESSIONS, now: clock.now }),
      main,
      flaky: cloudflareKvStore({ namespace: flaky.kv, writeInterval: 0.1, maxRetries: 2 }),
      'stale/a': staleA,
      'stale/b': staleB,
      'stale/off': cloudflareKvStore({ namespace: stale, maxTombstones: 0 }),
    },
    apps: {
      app: app(main, 'app:'),
      touchy: app(main, 'touchy:', { touchAfter: 0 }),
      short: app(main, 'short:', { idleTimeout: 30 }),
      'stale/a': app(staleA, 'stale:'),
      'stale/b': app(staleB, 'stale:'),
    },
  };
  return isolate;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { stores, apps, counted, flaky, clock } = getIsolate(env);
    const url = new URL(request.url);
    const path = url.pathname;
    const storeRoute = /^\/(?:(.+)\/)?store\/(\w+)$/.exec(path);
    if (storeRoute !== null) {
      const store = stores[storeRoute[1] ?? 'main'];
      if (store !== undefined) return callStore(store, storeRoute[2] as string, request);
    }
    const appRoute = /^\/(?:(.+)\/)?app\/[\w-]+$/.exec(path);
    if (appRoute !== null) {
      const app = apps[appRoute[1] ?? 'app'];
      if (app !== undefined) return app(request);
    }
    switch (path) {
      case '/kv/calls':
        return Response.json(counted.take());
      case '/kv/list': {
        const listed = await env.SESSIONS.list({ prefix: url.searchParams.get('prefix') ?? '' });
        return Response.json(
          listed.keys.map(({ name, expiration, metadata }) => ({ name, expiration, metadata })),
        );
      }
      case '/kv/get':
        return Response.json(await env.SESSIONS.get(url.searchParams.get('key') ?? ''));
      case '/kv/put': {
        const entries = (await request.json()) as Array<{
          key: string;
          value: string;
          metadata?: unknown;
        }>;
        await Promise.all(
          entries.map(({ key, value, metadata }) =>
            env.SESSIONS.put(key, value, metadata === undefined ? {} : { metadata }),
          ),
        );
        return Response.json(null);
      }
      case '/flaky/fail': {
        const { count, message } = (await request.json()) as { count: number; message?: string };
        flaky.failWrites(count, message);
        return Response.json({ attempts: flaky.takeAttempts() });
      }
      case '/clock/now':
        return Response.json(clock.now());
      case '/clock/advance': {
        const { ms } = (await request.json()) as { ms: number };
        clock.advance(ms);
        return Response.json(clock.now());
      }
      case '/now':
        return Response.json(Date.now());
      default:
        return new Response('not found', { status: 404 });
    }
  },
};
