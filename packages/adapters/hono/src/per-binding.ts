import type { SessionManager } from '@fetch-session/core';
import type { Context } from 'hono';

/**
 * A per-request `sessions` function for {@link sessionMiddleware} whose store comes from the
 * request's bindings (Workers KV in `c.env`): it creates one manager per binding object and
 * reuses it, since a manager holds the verified-cookie cache and imported keys. Annotating
 * `binding`'s parameter with your bindings type types `c.env` for both functions and the
 * middleware, with no generics spelled out.
 *
 * @param binding - the binding the manager belongs to (an object: a KV namespace, a D1 database)
 * @param create - creates the manager, once per binding
 *
 * @example
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
export function sessionsPerBinding<
  Bindings extends object,
  Data extends object,
  Flash extends object,
>(
  binding: (env: Bindings) => object,
  create: (env: Bindings) => SessionManager<Data, Flash>,
): (c: Context<{ Bindings: Bindings }>) => SessionManager<Data, Flash> {
  const managers = new WeakMap<object, SessionManager<Data, Flash>>();
  return function sessionsForRequest(c) {
    const key = binding(c.env);
    let sessions = managers.get(key);
    if (sessions === undefined) {
      sessions = create(c.env);
      managers.set(key, sessions);
    }
    return sessions;
  };
}
