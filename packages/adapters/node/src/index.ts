/**
 * Node.js integrations for fetch-session: Express/Connect middleware (`req.session`), a
 * wrapper for plain `node:http` handlers. The bridge that serves fetch-style handlers from
 * `node:http` is `@fetch-session/node/fetch`.
 * @module
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Session, SessionManager } from '@fetch-session/core';
import { attachSession, type NodeSessionOptions } from './node-session.js';

export type { NodeSessionOptions } from './node-session.js';

/** A request that carries a session, as the Express middleware leaves it. */
export interface RequestWithSession<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
> extends IncomingMessage {
  session: Session<Data, Flash>;
}

/** Connect/Express middleware signature. */
export type ConnectMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express/Connect middleware: loads the session before the route runs and puts it on
 * `req.session`; commits it before the response's headers are written, keeping every
 * `Set-Cookie` the app or other middleware set (S31). A store failure answers 503.
 *
 * The session is loaded on every request that carries a cookie (Express code expects it
 * ready); its methods are async like everywhere else in fetch-session.
 *
 * Streaming: the first `write()` waits for the commit, so the cookie always goes out with the
 * headers.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createSessionManager } from '@fetch-session/core';
 * import { memoryStore } from '@fetch-session/memory';
 * import { expressSession, getSession } from '@fetch-session/node';
 *
 * const sessions = createSessionManager<{ count: number }>({ store: memoryStore(), secrets: [process.env.SESSION_SECRET!] });
 * const app = express();
 * app.use(expressSession(sessions));
 * app.get('/', async (req, res) => {
 *   const session = getSession<{ count: number }>(req);
 *   const count = ((await session.get('count')) ?? 0) + 1;
 *   await session.set('count', count);
 *   res.send(`You have visited this page ${count} times`);
 * });
 * ```
 */
export function expressSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  options: NodeSessionOptions = {},
): ConnectMiddleware {
  return function fetchSession(req, res, next) {
    attachSession(sessions, req, res, options).then((session) => {
      if (session === undefined) return;
      (req as RequestWithSession<Data, Flash>).session = session;
      next();
    }, next);
  };
}

/** The session `expressSession` put on the request, typed. Throws if the middleware did not run. */
export function getSession<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
>(req: IncomingMessage): Session<Data, Flash> {
  const session = (req as Partial<RequestWithSession<Data, Flash>>).session;
  if (session === undefined)
    throw new TypeError(
      '[fetch-session] no session on this request: is expressSession() installed?',
    );
  return session;
}

/**
 * Wraps a plain `node:http` handler with sessions; the handler gets the session as a third
 * argument.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(withNodeSession(sessions, async (req, res, session) => {
 *   await session.set('seen', true);
 *   res.end('ok');
 * })).listen(3000);
 * ```
 */
export function withNodeSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  handler: (req: IncomingMessage, res: ServerResponse, session: Session<Data, Flash>) => unknown,
  options: NodeSessionOptions = {},
): RequestListener {
  return function sessionListener(req, res) {
    attachSession(sessions, req, res, options)
      .then(async (session) => {
        if (session !== undefined) await handler(req, res, session);
      })
      .catch((error: unknown) => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        } else res.destroy(error instanceof Error ? error : undefined);
      });
  };
}
