import { SessionConfigError } from './errors.js';
import { headersOf, readSessionCookie, type SessionInput } from './session-input.js';

/**
 * How the signed session ID travels, for API and mobile clients that do not keep cookies.
 * The ID is signed the same way in every transport.
 * - `'cookie'` (the default): the session cookie.
 * - `{ header: 'x-session' }`: the request header `x-session` carries the signed ID, and a
 *   response that issues, rotates or ends a session carries it in the same header (empty when
 *   the session ended). No cookie header is read or set.
 * - `{ bearer: true }`: `Authorization: Bearer <signed id>`; new IDs come back in
 *   `responseHeader` (default `x-session`).
 */
export type SessionTransportOption =
  | 'cookie'
  | { readonly header: string }
  | { readonly bearer: true; readonly responseHeader?: string };

/** A validated non-cookie transport. */
export interface HeaderTransport {
  /** The request header read (`authorization` for bearer). */
  readonly requestHeader: string;
  /** The response header that carries a new, rotated or ended session's signed ID. */
  readonly responseHeader: string;
  readonly bearer: boolean;
}

/** Field name (RFC 9110 token), and not one whose meaning the transport would hijack. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const RESERVED = new Set(['cookie', 'set-cookie', 'authorization', 'content-type', 'vary']);
/** A signed ID is far shorter; anything longer is refused unread, like a huge cookie (S33). */
const MAX_TOKEN_LENGTH = 512;
const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i;

/** Validates the `transport` option; `undefined` is the cookie. */
export function resolveTransport(option: unknown): HeaderTransport | undefined {
  if (option === undefined || option === 'cookie') return undefined;
  if (option !== null && typeof option === 'object') {
    if ('bearer' in option) {
      if (option.bearer !== true) {
        throw new SessionConfigError('transport.bearer', 'must be true');
      }
      const response = (option as { responseHeader?: unknown }).responseHeader ?? 'x-session';
      return {
        requestHeader: 'authorization',
        responseHeader: headerName('transport.responseHeader', response),
        bearer: true,
      };
    }
    if ('header' in option) {
      const name = headerName('transport.header', option.header);
      return { requestHeader: name, responseHeader: name, bearer: false };
    }
  }
  throw new SessionConfigError(
    'transport',
    "must be 'cookie', { header: 'x-session' } or { bearer: true }",
  );
}

function headerName(option: string, name: unknown): string {
  if (typeof name !== 'string' || !HEADER_NAME.test(name) || RESERVED.has(name.toLowerCase())) {
    throw new SessionConfigError(
      option,
      'must be a header name (RFC 9110 token) other than cookie, set-cookie, authorization, content-type and vary, e.g. "x-session"',
    );
  }
  return name.toLowerCase();
}

/**
 * The signed session ID the request presents: from the cookie, or from the transport's
 * header. Oversized or malformed header values are no session (S33). A raw cookie string
 * as input carries no other header, so header transports find nothing in it.
 */
export function readSessionToken(
  input: SessionInput,
  cookieName: string,
  transport: HeaderTransport | undefined,
): string | undefined {
  if (transport === undefined) return readSessionCookie(input, cookieName);
  if (input === null || input === undefined || typeof input === 'string') return undefined;
  const value = headersOf(input).get(transport.requestHeader);
  if (value === null || value.length === 0 || value.length > MAX_TOKEN_LENGTH) return undefined;
  if (!transport.bearer) return value.trim();
  return BEARER.exec(value)?.[1];
}
