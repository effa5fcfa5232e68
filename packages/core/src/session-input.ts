import { parseCookie } from 'cookie';

/**
 * Request headers looked up by lower-case name, the way `Headers.get` answers: what an adapter
 * without a `Request` passes (the Node adapter, over `req.headers`, copying nothing).
 *
 * @example
 * ```ts
 * sessions.open({ get: (name) => headerValue(req.headers[name]) });
 * ```
 */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * Where a session comes from: a `Request`, its `Headers` (or any {@link HeaderLookup}), or a
 * raw `Cookie` header. A cookie header string carries no other header: a header transport,
 * the device label and `X-Forwarded-Proto` need one of the others.
 */
export type SessionInput = Request | Headers | HeaderLookup | string | null | undefined;

/**
 * The session cookie's value. Only the configured cookie is read (S9). Names are matched the
 * way browsers send them: the `cookie` library trims only space and tab, so `\u00a0sid` is
 * another cookie (S32), and the first of duplicate names wins.
 */
export function readSessionCookie(input: SessionInput, name: string): string | undefined {
  const header =
    input === null || input === undefined || typeof input === 'string'
      ? input
      : headersOf(input).get('cookie');
  // Skip the parse entirely for requests that cannot carry our cookie.
  if (header === null || header === undefined || !header.includes(name)) return undefined;
  return parseCookie(header, { decode: keepAsIs })[name];
}

/** The request's `User-Agent`, for device labels; `null` when only a cookie header was given. */
export function userAgentOf(input: SessionInput): string | null {
  if (input === null || input === undefined || typeof input === 'string') return null;
  return headersOf(input).get('user-agent');
}

/** The headers of an input that has them (a `Request` has no `get`; `Headers` and lookups do). */
export function headersOf(input: Request | HeaderLookup): HeaderLookup {
  return typeof (input as Partial<HeaderLookup>).get === 'function'
    ? (input as HeaderLookup)
    : (input as Request).headers;
}

function keepAsIs(value: string): string {
  return value;
}
