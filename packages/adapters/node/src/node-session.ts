import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type HeaderLookup,
  type HeaderSink,
  isFailedResponse,
  type Session,
  type SessionManager,
  storeUnavailableResponse,
  writeSessionHeaders,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { holdResponseUntil, type ResponseHeaders } from './hold-response.js';

/** Options shared by the Node integrations. */
export interface NodeSessionOptions {
  /**
   * Answers a store failure (loading before the route, or saving before the headers). The
   * response has sent nothing yet.
   * @default a `503 Service Unavailable` with `Retry-After: 1`
   */
  onStoreError?: (error: SessionStoreError, req: IncomingMessage, res: ServerResponse) => void;
}

/** A request's session, as {@link attachSession} arranged it. */
export interface AttachedSession<Data extends object, Flash extends object> {
  readonly session: Session<Data, Flash>;
  /** The handler failed: commit nothing when the headers go out. */
  abandon(): void;
}

/**
 * Opens the request's session, loads it, and arranges for it to be committed before the
 * response's headers go out, unless the handler failed (it threw: {@link
 * AttachedSession.abandon}; or the response is a 5xx). Resolves to `undefined` when the load
 * failed and the store-error response was sent.
 */
export async function attachSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  req: IncomingMessage,
  res: ServerResponse,
  options: NodeSessionOptions,
): Promise<AttachedSession<Data, Flash> | undefined> {
  const onStoreError = options.onStoreError ?? sendStoreUnavailable;
  const session = sessions.open(requestHeaders(req));
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
  let abandoned = false;
  holdResponseUntil(res, {
    // The hook gets its own way to the headers: while held, `res` refuses header changes as a
    // sent response would (H1).
    beforeHeaders: async (headers) => {
      // Express hands a route's error to error middleware this one never sees: the 5xx it
      // answers is how the failure shows here.
      if (abandoned || isFailedResponse(res.statusCode)) return;
      writeSessionHeaders(headersOf(headers), await sessions.commit(session));
    },
    onHookError: (error) => {
      if (error instanceof SessionStoreError) {
        onStoreError(error, req, res);
        return;
      }
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    },
  });
  applyWriteHeadFirst(res);
  return {
    session,
    abandon: () => {
      abandoned = true;
    },
  };
}

/**
 * A held `res.writeHead(status, headers)` reaches Node only after the commit: what it declares
 * must be on the response before. The status, so that a 5xx commits nothing; the headers
 * (applied as Node applies them, `Set-Cookie` appended: S31), so that the session's `Vary`
 * and `Cache-Control` see the app's and are not overwritten by them afterwards.
 */
function applyWriteHeadFirst(res: ServerResponse): void {
  const held = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
    const [status, second, third] = args;
    if (typeof status === 'number') this.statusCode = status;
    const message = typeof second === 'string' ? second : undefined;
    applyHeaders(this, message === undefined ? second : third);
    return message === undefined ? held.call(this, status) : held.call(this, status, message);
  } as ServerResponse['writeHead'];
}

function applyHeaders(res: ServerResponse, headers: unknown): void {
  if (headers === undefined || headers === null) return;
  if (!Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (value === undefined) continue;
      if (isSetCookie(name)) res.appendHeader(name, value as string | string[]);
      else res.setHeader(name, value as string | number | string[]);
    }
    return;
  }
  // A list of pairs, or a flat [name, value, name, value, ...] list: like Node, its fields
  // replace earlier ones but may repeat among themselves.
  const pairs: Array<[string, unknown]> = Array.isArray(headers[0])
    ? (headers as Array<[string, unknown]>)
    : Array.from({ length: headers.length >> 1 }, (_, i) => [
        String(headers[2 * i]),
        headers[2 * i + 1],
      ]);
  for (const [name] of pairs) if (!isSetCookie(name)) res.removeHeader(name);
  for (const [name, value] of pairs) res.appendHeader(name, value as string | string[]);
}

function isSetCookie(name: string): boolean {
  return name.length === 10 && name.toLowerCase() === 'set-cookie';
}

/**
 * The request's headers as the core reads them, straight from `req.headers` (lower-case
 * names; repeated fields joined as `Headers` joins them): the cookie, a header transport's
 * field, the user agent for device labels, `X-Forwarded-Proto` behind a trusted proxy.
 */
function requestHeaders(req: IncomingMessage): HeaderLookup {
  return {
    get(name) {
      const value = req.headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
    },
  };
}

/** The response's headers as the core's header writer sees them. */
function headersOf(res: ResponseHeaders): HeaderSink {
  return {
    get: (name) => {
      const value = res.getHeader(name);
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
    set: (name, value) => res.setHeader(name, value),
    append: (name, value) => res.appendHeader(name, value),
  };
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
