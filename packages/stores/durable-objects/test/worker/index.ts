/**
 * The test Worker: the Durable Object class, the store and session managers all run here,
 * inside workerd. Bundled with esbuild by helpers/test-worker.ts; started twice (workers `a`
 * and `b`, two Worker services with their own isolates) over one Durable Object namespace.
 *
 * Routes:
 * - `POST /store/<method>` with the method's arguments and `now` (the test's clock): the store
 *   on the `SESSIONS` namespace (store-rpc.ts of the KV package's tests).
 * - `POST /faulty/store/<method>`: the store on `FAULTY`, an object whose storage fails.
 * - `POST /{quick,inspect}/store/<method>`, `GET /{quick,inspect}/rows?key=`: the store on
 *   `QUICK` (an object that reclaims expired sessions at once) or `INSPECT` (the real class,
 *   inspectable), and the rows and alarm of a session's object; `GET .../alarm?key=` runs the
 *   object's alarm handler first.
 * - `GET /app/<action>`: the KV tests' session app on the `SESSIONS` store (real clock).
 * - `GET /counted/app/<action>`, `GET /counted/calls`: the same app on a store whose object
 *   calls are counted, and the counts since the last look.
 */
import { createSessionManager } from '@fetch-session/core';
import { durableObjectStore, SessionObject } from '@fetch-session/durable-objects';
import { type AppData, sessionApp } from '../../../cloudflare-kv/test/worker/session-app.js';
import { callStore } from '../../../cloudflare-kv/test/worker/store-rpc.js';
import { countObjectCalls } from './counting-namespace.js';

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

/** The real class, plus a look at what it stores and a way to run its alarm handler now. */
export class InspectableSessionObject extends SessionObject {
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

  runAlarm(): Promise<void> {
    return this.alarm();
  }
}

/** Reclaims expired sessions as soon as they expire (no minute's margin). */
export class QuickSessionObject extends InspectableSessionObject {
  protected override readonly reclaimDelay = 0;
}

interface Env {
  readonly SESSIONS: DurableObjectNamespace<SessionObject>;
  readonly FAULTY: DurableObjectNamespace<FaultySessionObject>;
  readonly QUICK: DurableObjectNamespace<QuickSessionObject>;
  readonly INSPECT: DurableObjectNamespace<InspectableSessionObject>;
}

type Handler = (request: Request) => Promise<Response>;

/** What an app creates once per isolate. */
interface Isolate {
  readonly app: Handler;
  readonly counted: Handler;
  readonly calls: ReturnType<typeof countObjectCalls>;
}

let isolate: Isolate | undefined;

function getIsolate(env: Env): Isolate {
  if (isolate !== undefined) return isolate;
  const calls = countObjectCalls(env.SESSIONS);
  const app = (namespace: typeof calls.namespace) =>
    sessionApp(
      createSessionManager<AppData, AppData>({
        store: durableObjectStore({ namespace }),
        secrets: TEST_SECRET,
      }),
    );
  isolate = { app: app(env.SESSIONS), counted: app(calls.namespace), calls };
  return isolate;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const storeRoute = /^\/(?:(faulty|quick|inspect)\/)?store\/(\w+)$/.exec(url.pathname);
    if (storeRoute !== null) {
      const body = await request.clone().json<{ now?: number }>();
      const namespaces = { faulty: env.FAULTY, quick: env.QUICK, inspect: env.INSPECT };
      const namespace = namespaces[storeRoute[1] as keyof typeof namespaces] ?? env.SESSIONS;
      const store = durableObjectStore({ namespace, now: () => body.now ?? Date.now() });
      return callStore(store, storeRoute[2] as string, request);
    }
    const inspectRoute = /^\/(quick|inspect)\/(rows|alarm)$/.exec(url.pathname);
    if (inspectRoute !== null) {
      const namespace = inspectRoute[1] === 'quick' ? env.QUICK : env.INSPECT;
      const stub = namespace.get(namespace.idFromName(`session:${url.searchParams.get('key')}`));
      if (inspectRoute[2] === 'alarm') await stub.runAlarm();
      return Response.json({ rows: await stub.rows(), alarm: await stub.alarmAt() });
    }
    // Built once per isolate, as an app would: worker `a` and worker `b` each have their own.
    const { app, counted, calls } = getIsolate(env);
    if (url.pathname.startsWith('/app/')) return app(request);
    if (url.pathname.startsWith('/counted/app/')) return counted(request);
    if (url.pathname === '/counted/calls') return Response.json(calls.take());
    return new Response('not found', { status: 404 });
  },
};
