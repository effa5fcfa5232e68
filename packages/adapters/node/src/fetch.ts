/**
 * Serves a fetch-style handler with sessions from `node:http`: the `(request, session) =>
 * Response` handler you run on Bun, Deno or Workers, unchanged. A separate entry point so that
 * Express and `node:http` users do not install the Request/Response bridge:
 * `@fetch-session/node/fetch` needs `@hono/node-server` (an optional peer dependency).
 * @module
 */
import type { RequestListener } from 'node:http';
import type { SessionHandler, SessionManager } from '@fetch-session/core';
import { getRequestListener } from '@hono/node-server';

/**
 * Serves a fetch-style handler (`(request, session) => Response`) from `node:http`, with
 * sessions. The Request/Response bridge is `@hono/node-server`'s (install it next to this
 * package); a store failure answers 503, as `sessions.wrap` does everywhere.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { serveFetch } from '@fetch-session/node/fetch';
 *
 * createServer(serveFetch(sessions, async (request, session) => new Response('hi'))).listen(3000);
 * ```
 */
export function serveFetch<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  handler: SessionHandler<Data, Flash, []>,
): RequestListener {
  const wrapped = sessions.wrap(handler);
  return getRequestListener((request) => wrapped(request));
}
