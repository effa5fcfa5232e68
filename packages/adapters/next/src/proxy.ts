import {
  type SessionManager,
  storeUnavailableResponse,
  writeSessionHeaders,
} from '@fetch-session/core';
import type { SessionStoreError } from '@fetch-session/core/errors';
import { type NextRequest, NextResponse } from 'next/server.js';
import { isExpiring, replaceCookie, toCookieInit } from './cookie-header.js';
import { isSessionStoreError } from './errors.js';
import { asNextRequest } from './route-handler.js';

/** Options of {@link refreshSession}. */
export interface RefreshSessionOptions {
  /**
   * The response when the store fails while loading or refreshing (S29).
   * @default a `503 Service Unavailable` with `Retry-After: 1`; return `NextResponse.next()`
   * to let the request through (its handler then meets the outage itself)
   */
  onStoreError?: (error: SessionStoreError, request: NextRequest) => Response | Promise<Response>;
}

/**
 * For `proxy.ts` (formerly `middleware.ts`): loads the request's session and refreshes it when
 * it is due (idle timer, store TTL, a permanent cookie's `Max-Age`, a cookie signed with an
 * older secret), then returns `NextResponse.next()` carrying the refreshed `Set-Cookie`, with
 * the request's `cookie` header rewritten so that the route handlers and Server Components of
 * the same request read the refreshed value. This is where sessions are touched for pages,
 * since Server Components cannot set cookies.
 *
 * A request without the session cookie costs nothing. With one, it costs a store read (the
 * page reads the session again): limit the proxy with a `matcher`.
 *
 * The proxy is not a security boundary (CVE-2025-29927: a crafted request could skip
 * middleware): check authorisation again where the data is used.
 *
 * @example `proxy.ts`
 * ```ts
 * import { refreshSession } from '@fetch-session/next';
 * import type { NextRequest } from 'next/server';
 * import { sessions } from '@/lib/sessions';
 *
 * export function proxy(request: NextRequest) {
 *   return refreshSession(sessions, request);
 * }
 *
 * export const config = { matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'] };
 * ```
 */
export async function refreshSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  request: Request,
  options: RefreshSessionOptions = {},
): Promise<Response> {
  const onStoreError = options.onStoreError ?? storeUnavailableResponse;
  const cookieHeader = request.headers.get('cookie');
  if (cookieHeader === null || !cookieHeader.includes(sessions.cookieName)) {
    return NextResponse.next();
  }
  const session = sessions.open(cookieHeader);
  let commit: Awaited<ReturnType<typeof sessions.commit>>;
  try {
    await session.isNew(); // loads the session, so the commit refreshes it if due
    commit = await sessions.commit(session);
  } catch (error) {
    if (isSessionStoreError(error)) return onStoreError(error, asNextRequest(request));
    throw error;
  }
  // The session headers go in at construction: NextResponse's `cookies` reads `Set-Cookie`
  // once, there, and rewrites the header from what it read whenever the proxy calls
  // `response.cookies.set()` later, which would drop a header appended afterwards.
  const headers = new Headers();
  writeSessionHeaders(headers, commit);
  let response: NextResponse;
  if (commit.setCookie === undefined) {
    response = NextResponse.next({ headers });
  } else {
    const cookie = toCookieInit(commit.setCookie);
    const forwarded = new Headers(request.headers);
    const value = isExpiring(cookie) ? undefined : cookie.value;
    const header = replaceCookie(cookieHeader, sessions.cookieName, value);
    if (header === '') forwarded.delete('cookie');
    else forwarded.set('cookie', header);
    response = NextResponse.next({ headers, request: { headers: forwarded } });
  }
  return response;
}
