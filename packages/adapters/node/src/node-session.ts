import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Session,
  type SessionCommit,
  type SessionManager,
  storeUnavailableResponse,
  varyIncludesCookie,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { holdResponseUntil } from './hold-response.js';

/** Options shared by the Node integrations. */
export interface NodeSessionOptions {
  /**
   * Answers a store failure (loading before the route, or saving before the headers). The
   * response has sent nothing yet.
   * @default a `503 Service Unavailable` with `Retry-After: 1`
   */
  onStoreError?: (error: SessionStoreError, req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Opens the request's session, loads it, and arranges for it to be committed before the
 * response's headers go out. Resolves to `undefined` when the load failed and the store-error
 * response was sent.
 */
export async function attachSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeSessionOptions,
): Promise<Session<Data, Flash> | undefined> {
  const onStoreError = options.onStoreError ?? sendStoreUnavailable;
  const session = sessions.open(req.headers.cookie);
  try {
    // Loaded before the route: Express code expects the session to be ready, and a store
    // failure must be answered before the route runs, not half-way through. A preload is not
    // a use: routes that ignore the session still get no Vary and no write.
    await sessions.preload(session);
  } catch (error) {
    if (!(error instanceof SessionStoreError)) throw error;
    await sessions.commit(session);
    onStoreError(error, req, res);
    return undefined;
  }
  holdResponseUntil(
    res,
    async () => applyCommit(res, await sessions.commit(session)),
    (error) => {
      if (error instanceof SessionStoreError) {
        onStoreError(error, req, res);
        return;
      }
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  );
  return session;
}

function applyCommit(res: ServerResponse, commit: SessionCommit): void {
  if (commit.vary && !varyIncludesCookie(headerText(res.getHeader('vary'))))
    res.appendHeader('vary', 'Cookie');
  if (commit.setCookie !== undefined) {
    res.appendHeader('set-cookie', commit.setCookie);
    if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store');
  }
}

function headerText(value: ReturnType<ServerResponse['getHeader']>): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** Sends the core's default store-failure response (503). */
export function sendStoreUnavailable(
  _error: SessionStoreError,
  _req: IncomingMessage,
  res: ServerResponse,
): void {
  const response = storeUnavailableResponse();
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end('Service Unavailable');
}
