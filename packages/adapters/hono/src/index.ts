/**
 * Hono middleware for fetch-session: a typed, lazily loaded server-side session on the context
 * (`c.get('session')` / `c.var.session`), on every runtime Hono runs on.
 * @module
 */
import {
  type Session,
  type SessionManager,
  storeUnavailableResponse,
  varyIncludesCookie,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import type { Context, Env, MiddlewareHandler } from 'hono';

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
   * when the store needs per-request bindings (Workers KV from `c.env`). Cache the manager per
   * binding: it holds the verified-cookie cache.
   */
  sessions: SessionManager<Data, Flash> | ((c: Context<E>) => SessionManager<Data, Flash>);
  /**
   * The response when the store fails while loading or saving (S29).
   * @default a `503 Service Unavailable` with `Retry-After: 1`
   */
  onStoreError?: (error: SessionStoreError, c: Context<E>) => Response | Promise<Response>;
}

/**
 * Puts a lazily loaded session on the context and commits it after the handler. A route that
 * never touches the session costs no store operation and gets no session header.
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
 * const managers = new WeakMap<KVNamespace, SessionManager<Data, Flash>>();
 * app.use(sessionMiddleware({
 *   sessions: (c) => {
 *     let sessions = managers.get(c.env.SESSIONS);
 *     if (!sessions) managers.set(c.env.SESSIONS, (sessions = createSessionManager({ ... })));
 *     return sessions;
 *   },
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
    const sessions = typeof source === 'function' ? source(c as unknown as Context<E>) : source;
    let accessed = false;
    const session = sessions.open(c.req.raw, {
      // Set while the response is being built, so Hono's fast path for plain responses holds.
      onAccess: () => {
        accessed = true;
        c.header('Vary', 'Cookie', { append: true });
      },
    });
    c.set('session', session);
    c.set('sessionManager', sessions);
    await next();

    if (c.error instanceof SessionStoreError) {
      c.res = await onStoreError(c.error, c as unknown as Context<E>);
      return;
    }
    let commit: Awaited<ReturnType<typeof sessions.commit>>;
    try {
      commit = await sessions.commit(session);
    } catch (error) {
      if (!(error instanceof SessionStoreError)) throw error;
      c.res = await onStoreError(error, c as unknown as Context<E>);
      return;
    }
    if (!accessed) return;
    // A handler that returned its own Response (not c.text/c.json) bypassed the prepared headers.
    if (!varyIncludesCookie(c.res.headers.get('vary')))
      c.header('Vary', 'Cookie', { append: true });
    if (commit.setCookie !== undefined) {
      c.header('Set-Cookie', commit.setCookie, { append: true });
      if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
    }
  };
}
