/**
 * The test Worker: the Durable Object class, the store and session managers all run here,
 * inside workerd. Bundled with esbuild by helpers/test-worker.ts; started twice (workers `a`
 * and `b`, two Worker services with their own isolates) over one Durable Object namespace.
 *
 * Routes:
 * - `POST /store/<method>` with the method's arguments and `now` (the test's clock): the store
 *   on the `SESSIONS` namespace (store-rpc.ts of the KV package's tests).
 * - `POST /faulty/store/<method>`: the store on `FAULTY`, an object whose storage fails.
 * - `POST /quick/store/<method>`, `GET /quick/rows?key=`: the store on `QUICK`, an object that
 *   reclaims expired sessions at once, and the rows a session's object still holds.
 * - `GET /app/<action>`: the KV tests' session app on the `SESSIONS` store (real clock).
 */
import { createSessionManager } from '@fetch-session/core';
import { durableObjectStore, SessionObject } from '@fetch-session/durable-objects';
import { type AppData, sessionApp } from '../../../cloudflare-kv/test/worker/session-app.js';
import { callStore } from '../../../cloudflare-kv/test/worker/store-rpc.js';

export { SessionObject };

const TEST_SECRET = 'test-worker-secret-0123456789abcdef0123';

/**
 * A fault injected into a real object (named as such): its storage "fails" the way Workers
 * reports faults, with a message quoting the session, and `retryable`/`overloaded` set; `load`
 * resets the object itself (`ctx.abort()`), as a code update would.
 */
export class FaultySessionObject extends SessionObject {
  override load(): never {
    this.ctx.abort('Durable Object reset because its code was updated.');
    throw new Error('unreachable');
  }

  override async write(): Promise<never> {
    throw Object.assign(
      new Error('SQLITE_FULL: cannot store session:secret-key {"d:user":"ada"}'),
      {
        retryable: true,
      },
    );
  }

  override delete(): never {
    throw Object.assign(new Error('Durable Object is overloaded. session:secret-key'), {
      overloaded: true,
      retryable: false,
    });
  }
}

/** Reclaims expired sessions as soon as they expire, and shows what it still stores. */
export class QuickSessionObject extends SessionObject {
  protected override readonly reclaimDelay = 0;

  rows(): number {
    return this.ctx.storage.sql
      .exec<{ n: number }>(
        'SELECT (SELECT count(*) FROM session) + (SELECT count(*) FROM field) AS n',
      )
      .one().n;
  }

  alarmAt(): Promise<number | null> {
    return this.ctx.storage.getAlarm();
  }
}

interface Env {
  readonly SESSIONS: DurableObjectNamespace<SessionObject>;
  readonly FAULTY: DurableObjectNamespace<FaultySessionObject>;
  readonly QUICK: DurableObjectNamespace<QuickSessionObject>;
}

let app: ((request: Request) => Promise<Response>) | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const storeRoute = /^\/(?:(faulty|quick)\/)?store\/(\w+)$/.exec(url.pathname);
    if (storeRoute !== null) {
      const body = await request.clone().json<{ now?: number }>();
      const namespace =
        storeRoute[1] === 'faulty'
          ? env.FAULTY
          : storeRoute[1] === 'quick'
            ? env.QUICK
            : env.SESSIONS;
      const store = durableObjectStore({ namespace, now: () => body.now ?? Date.now() });
      return callStore(store, storeRoute[2] as string, request);
    }
    if (url.pathname === '/quick/rows') {
      const stub = env.QUICK.get(env.QUICK.idFromName(`session:${url.searchParams.get('key')}`));
      return Response.json({ rows: await stub.rows(), alarm: await stub.alarmAt() });
    }
    if (url.pathname.startsWith('/app/')) {
      // Built once per isolate, as an app would: worker `a` and worker `b` each have their own.
      app ??= sessionApp(
        createSessionManager<AppData, AppData>({
          store: durableObjectStore({ namespace: env.SESSIONS }),
          secrets: TEST_SECRET,
        }),
      );
      return app(request);
    }
    return new Response('not found', { status: 404 });
  },
};
