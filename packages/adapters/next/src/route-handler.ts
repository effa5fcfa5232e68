import {
  isFailedResponse,
  type Session,
  type SessionManager,
  storeUnavailableResponse,
} from '@fetch-session/core';
import type { SessionStoreError } from '@fetch-session/core/errors';
import { cookies } from 'next/headers.js';
import { NextRequest } from 'next/server.js';
import { toCookieInit } from './cookie-header.js';
import { isRedirectError, isSessionStoreError } from './errors.js';

/** A route handler that receives the request's session. */
export type SessionRouteHandler<Data extends object, Flash extends object, Context> = (
  request: NextRequest,
  session: Session<Data, Flash>,
  context: Context,
) => Response | Promise<Response>;

/** Options of {@link withSession}. */
export interface WithSessionOptions {
  /**
   * The response when the store fails while loading or saving (S29). Never an empty session
   * in place of the real one.
   * @default a `503 Service Unavailable` with `Retry-After: 1`
   */
  onStoreError?: (error: SessionStoreError, request: NextRequest) => Response | Promise<Response>;
}

/**
 * Wraps an App Router route handler (`GET`, `POST`, ...) with a session: opens it from the
 * request's cookie, runs the handler, saves what changed and adds `Set-Cookie`, `Vary: Cookie`
 * and, with the cookie or a stored session, `Cache-Control: private, no-store` (unless the
 * handler chose a private one) to the returned `Response` or `NextResponse`. A handler that
 * never touches the session costs no store call and gets no header. A handler that throws or
 * answers 5xx commits nothing; a `redirect()` it throws still saves the session (the cookie
 * goes out through `cookies()` on Next's redirect response).
 *
 * Check authorisation here, in the handler, even when the proxy checks it too
 * (CVE-2025-29927: a request can skip middleware).
 *
 * @example `app/api/count/route.ts`
 * ```ts
 * import { withSession } from '@fetch-session/next';
 * import { sessions } from '@/lib/sessions';
 *
 * export const POST = withSession(sessions, async (request, session) => {
 *   const count = ((await session.get('count')) ?? 0) + 1;
 *   await session.set('count', count);
 *   return Response.json({ count });
 * });
 * ```
 *
 * @example With route params
 * ```ts
 * export const GET = withSession(
 *   sessions,
 *   async (request, session, { params }: RouteContext<'/items/[id]'>) => {
 *     const { id } = await params;
 *     return Response.json({ id, user: await session.get('user') });
 *   },
 * );
 * ```
 */
export function withSession<Data extends object, Flash extends object, Context = unknown>(
  sessions: SessionManager<Data, Flash>,
  handler: SessionRouteHandler<Data, Flash, Context>,
  options: WithSessionOptions = {},
): (request: Request, context: Context) => Promise<Response> {
  if (sessions === null || typeof sessions !== 'object' || typeof sessions.open !== 'function') {
    throw new TypeError(
      '[fetch-session] withSession: the first argument must be a session manager',
    );
  }
  if (typeof handler !== 'function') {
    throw new TypeError('[fetch-session] withSession: the second argument must be a route handler');
  }
  const onStoreError = options.onStoreError ?? storeUnavailableResponse;

  return async function sessionRouteHandler(request, context) {
    const nextRequest = asNextRequest(request);
    const session = sessions.open(nextRequest);
    try {
      let response: Response;
      try {
        response = await handler(nextRequest, session, context);
      } catch (error) {
        if (!isRedirectError(error)) throw error;
        // Next turns the thrown redirect into its own response: the cookie rides on cookies().
        const { setCookie } = await sessions.commit(session);
        if (setCookie !== undefined) (await cookies()).set(toCookieInit(setCookie));
        throw error;
      }
      // A failed handler commits nothing (the rule of every adapter), like one that throws.
      if (isFailedResponse(response.status)) return response;
      return sessions.applyToResponse(response, await sessions.commit(session));
    } catch (error) {
      if (isSessionStoreError(error)) return onStoreError(error, nextRequest);
      throw error;
    }
  };
}

/**
 * Next hands route handlers a request that is NextRequest-shaped but not `instanceof
 * NextRequest` (it comes from another copy of the class), so the check is by shape; a plain
 * `Request` (a test, a handler called directly) is upgraded.
 */
export function asNextRequest(request: Request): NextRequest {
  const candidate = request as Partial<NextRequest>;
  if (
    typeof candidate.nextUrl === 'object' &&
    candidate.nextUrl !== null &&
    typeof candidate.cookies === 'object' &&
    candidate.cookies !== null &&
    typeof candidate.cookies.get === 'function'
  ) {
    return request as NextRequest;
  }
  return new NextRequest(request);
}
