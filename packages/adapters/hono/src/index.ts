/**
 * Hono middleware for fetch-session: a typed, lazily loaded server-side session on the context
 * (`c.get('session')` / `c.var.session`), on every runtime Hono runs on.
 * @module
 */
import {
  commitNeedsHeaders,
  isFailedResponse,
  type Session,
  type SessionCommit,
  type SessionManager,
  storeUnavailableResponse,
  writeSessionHeaders,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import type { Context, Env, MiddlewareHandler } from 'hono';

export { sessionsPerBinding } from './per-binding.js';

/** The Hono environment the middleware adds: `c.var.session`. */
export interface SessionEnv<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
> extends Env {
  Variables: {
    session: Session<Data, Flash>;
    /** The manager behind `session`: for `listSessions`, `revokeSession`, `revokeAllSessions`. */
    sessionManager: SessionManager<Data, Flash>;
  };
}

/** Options of {@link sessionMiddleware}. */
export interface SessionMiddlewareOptions<
  Data extends object,
  Flash extends object,
  E extends Env = Env,
> {
  /**
   * The session manager, or a function that returns it for a request: use the function form
   * when the store needs per-request bindings (Workers KV from `c.env`), built with
   * {@link sessionsPerBinding} so that `c.env` is typed and one manager is kept per binding
   * (it holds the verified-cookie cache).
   */
  sessions: SessionManager<Data, Flash> | ((c: Context<E>) => SessionManager<Data, Flash>);
  /**
   * The response when the store fails while loading or saving (S29). It gets Hono's plain
   * `Context`: typing it with the app's bindings would stop them being inferred for a
   * per-request `sessions` function.
   * @default a `503 Service Unavailable` with `Retry-After: 1`
   */
  onStoreError?: (error: SessionStoreError, c: Context) => Response | Promise<Response>;
}

/**
 * Puts a lazily loaded session on the context and commits it after the handler. A route that
 * never touches the session costs no store operation and gets no session header. A handler
 * that throws, or answers 5xx, commits nothing: no store write and no `Set-Cookie`.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { sessionMiddleware, type SessionEnv } from '@fetch-session/hono';
 * import { memoryStore } from '@fetch-session/memory';
 * import { Hono } from 'hono';
 *
 * type Data = { count: number };
 * const sessions = createSessionManager<Data>({ store: memoryStore(), secrets: [process.env.SESSION_SECRET!] });
 *
 * const app = new Hono<SessionEnv<Data>>();
 * app.use(sessionMiddleware({ sessions }));
 * app.get('/', async (c) => {
 *   const count = ((await c.var.session.get('count')) ?? 0) + 1;
 *   await c.var.session.set('count', count);
 *   return c.text(`You have visited this page ${count} times`);
 * });
 * ```
 *
 * @example Workers KV, with the binding from `c.env`
 * ```ts
 * type Bindings = { SESSIONS: KVNamespace; SESSION_SECRET: string };
 * const app = new Hono<{ Bindings: Bindings } & SessionEnv<Data, Flash>>();
 * app.use(sessionMiddleware({
 *   sessions: sessionsPerBinding(
 *     (env: Bindings) => env.SESSIONS,
 *     (env) => createSessionManager<Data, Flash>({
 *       store: cloudflareKvStore({ namespace: env.SESSIONS }),
 *       secrets: [env.SESSION_SECRET],
 *     }),
 *   ),
 * }));
 * ```
 */
export function sessionMiddleware<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
  E extends Env = Env,
>(
  options: SessionMiddlewareOptions<Data, Flash, E>,
): MiddlewareHandler<E & SessionEnv<Data, Flash>> {
  const { sessions: source } = options;
  const onStoreError = options.onStoreError ?? storeUnavailableResponse;
  if (
    typeof source !== 'function' &&
    (source === null || typeof source !== 'object' || typeof source.open !== 'function')
  ) {
    throw new TypeError(
      '[fetch-session] sessionMiddleware: `sessions` must be a session manager or a function returning one',
    );
  }

  return async function fetchSession(c, next) {
    const context = c as unknown as Context<E>;
    const sessions = typeof source === 'function' ? source(context) : source;
    const session = sessions.open(c.req.raw, {
      // Set while the response is being built: Hono keeps its fast path for plain responses.
      onAccess: () => c.header('Vary', 'Cookie', { append: true }),
    });
    c.set('session', session);
    c.set('sessionManager', sessions);
    await next();

    if (c.error instanceof SessionStoreError) {
      c.res = await onStoreError(c.error, context);
      return;
    }
    // A failed handler commits nothing (the rule of every adapter).
    if (c.error !== undefined || isFailedResponse(c.res.status)) return;
    let commit: SessionCommit;
    try {
      commit = await sessions.commit(session);
    } catch (error) {
      if (!(error instanceof SessionStoreError)) throw error;
      c.res = await onStoreError(error, context);
      return;
    }
    if (commitNeedsHeaders(commit)) writeOntoResponse(c, commit);
  };
}

/**
 * Writes the session headers onto `c.res` in place. `c.header()` after the handler returned
 * would rebuild the finished response (and @hono/node-server would drop to its slow path);
 * its headers are mutable unless the handler returned one with immutable headers
 * (`Response.redirect()`, a `fetch()` result), which is copied around the same body once.
 * `Vary` is written again because a handler that returned its own `Response` (not `c.text()`)
 * dropped the one set while building.
 */
function writeOntoResponse(c: Context, commit: SessionCommit): void {
  try {
    // Immutable headers throw on the first change, before anything is written.
    writeSessionHeaders(c.res.headers, commit);
    return;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const finished = c.res;
  // The setter copies the old response's headers onto the new one: write after assigning.
  c.res = new Response(finished.body, {
    status: finished.status,
    statusText: finished.statusText,
    headers: finished.headers,
  });
  writeSessionHeaders(c.res.headers, commit);
}
