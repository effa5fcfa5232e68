import { parseCookie } from 'cookie';

/** Where a session's cookie comes from: a `Request`, its `Headers`, or a raw `Cookie` header. */
export type SessionInput = Request | Headers | string | null | undefined;

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

function headersOf(input: Request | Headers): Headers {
  return input instanceof Headers ? input : input.headers;
}

function keepAsIs(value: string): string {
  return value;
}
