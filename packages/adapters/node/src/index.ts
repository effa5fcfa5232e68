/**
 * Node.js integrations for fetch-session: Express/Connect middleware (`req.session`), a
 * wrapper for plain `node:http` handlers, and a bridge that serves fetch-style handlers from
 * `node:http` with sessions.
 * @module
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Session, SessionManager } from '@fetch-session/core';
import { attachSession, type NodeSessionOptions } from './node-session.js';

export type { NodeSessionOptions } from './node-session.js';

/**
 * The data and flash types of `req.session` in Express, declared once by the app through
 * declaration merging. Undeclared, `req.session` is a `Session<Record<string, unknown>>`.
 * Declare the types the manager passed to {@link expressSession} was created with (or use
 * {@link getSession} with the manager, which takes its types from it).
 *
 * @example
 * ```ts
 * declare module '@fetch-session/node' {
 *   interface SessionTypes {
 *     data: { count: number; user?: string };
 *     flash: { notice: string };
 *   }
 * }
 * app.get('/', async (req, res) => {
 *   const count = ((await req.session.get('count')) ?? 0) + 1; // number
 * });
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the app (declaration merging)
export interface SessionTypes {}

/** The session type of `req.session`: from {@link SessionTypes}, or untyped data. */
export type RequestSession = Session<
  SessionTypes extends { data: infer Data extends object } ? Data : Record<string, unknown>,
  SessionTypes extends { flash: infer Flash extends object } ? Flash : Record<string, unknown>
>;

declare global {
  namespace Express {
    interface Request {
      /** The request's session, put there by `expressSession()` from `@fetch-session/node`. */
      session: RequestSession;
    }
  }
}

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

/** The manager that opened each request's session: {@link getSession} checks it. */
const managers = new WeakMap<IncomingMessage, SessionManager<object, object>>();

/**
 * Express/Connect middleware: loads the session before the route runs and puts it on
 * `req.session`; commits it before the response's headers are written, keeping every
 * `Set-Cookie` the app or other middleware set (S31). A store failure answers 503. A route
 * that fails (its error reaches Express's error handling, which answers 5xx) commits nothing.
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
 *   const session = getSession(req, sessions); // Session<{ count: number }>
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
    attachSession(sessions, req, res, options).then((attached) => {
      if (attached === undefined) return;
      (req as RequestWithSession<Data, Flash>).session = attached.session;
      managers.set(req, sessions as unknown as SessionManager<object, object>);
      next();
    }, next);
  };
}

/**
 * The session `expressSession` put on the request. With the manager, typed from it and
 * checked: it throws if the session was opened by another manager. Without, typed from
 * {@link SessionTypes} like `req.session`. Throws if the middleware did not run.
 *
 * @example
 * ```ts
 * const session = getSession(req, sessions); // the types of `sessions`
 * ```
 */
export function getSession(req: IncomingMessage): RequestSession;
export function getSession<Data extends object, Flash extends object>(
  req: IncomingMessage,
  sessions: SessionManager<Data, Flash>,
): Session<Data, Flash>;
export function getSession(req: IncomingMessage, sessions?: unknown): unknown {
  const opener = managers.get(req);
  const session = (req as Partial<RequestWithSession<object, object>>).session;
  if (opener === undefined || session === undefined) {
    throw new TypeError(
      '[fetch-session] no session on this request: is expressSession() installed?',
    );
  }
  if (sessions !== undefined && sessions !== opener) {
    throw new TypeError(
      "[fetch-session] getSession(req, sessions): this request's session was opened by another manager than `sessions`",
    );
  }
  return session;
}

/**
 * Wraps a plain `node:http` handler with sessions; the handler gets the session as a third
 * argument. A handler that throws (answered with a 500) or answers 5xx commits nothing.
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
    let attached: Awaited<ReturnType<typeof attachSession<Data, Flash>>>;
    attachSession(sessions, req, res, options)
      .then(async (result) => {
        attached = result;
        if (result !== undefined) await handler(req, res, result.session);
      })
      .catch((error: unknown) => {
        attached?.abandon(); // a handler that throws commits nothing
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        } else res.destroy(error instanceof Error ? error : undefined);
      });
  };
}
