import { SessionCookie, type SessionCookieOptions } from './cookie-settings.js';
import { SessionConfigError } from './errors.js';
import { headersOf, type SessionInput } from './session-input.js';

/**
 * Whether to believe a request's `X-Forwarded-Proto`: `true` when every request comes through
 * a proxy you run (which overwrites the header), or a function that decides per request.
 */
export type TrustProxyOption = boolean | ((request: Request | Headers) => boolean);

/** Cookie attributes one request may override (`open(input, { cookie })`); not the name. */
export type RequestCookieOptions = Omit<SessionCookieOptions, 'name'>;

/** What the manager resolved about cookies, for per-request cookies. */
export interface CookieRules {
  readonly cookie: SessionCookie;
  readonly cookieOptions: SessionCookieOptions;
  readonly trustProxy: TrustProxyOption;
}

/** Validates `cookie.secure: 'auto'` at construction: it must be valid with and without Secure. */
export function checkAutoSecure(options: SessionCookieOptions): void {
  try {
    new SessionCookie({ ...options, secure: false });
  } catch (cause) {
    const reason = cause instanceof SessionConfigError ? cause.message : String(cause);
    throw new SessionConfigError(
      'cookie.secure',
      `'auto' may send the cookie without Secure, which these attributes forbid (${reason}); use secure: true`,
    );
  }
}

/** Validates `trustProxy`. */
export function resolveTrustProxy(option: unknown): TrustProxyOption {
  if (option === undefined) return false;
  if (typeof option === 'boolean' || typeof option === 'function') {
    return option as TrustProxyOption;
  }
  throw new SessionConfigError(
    'trustProxy',
    'must be a boolean or a function (request) => boolean',
  );
}

/**
 * The cookie of one request: the manager's, unless the request overrides attributes or the
 * manager's `secure` is `'auto'`. Overrides are validated like construction options
 * (a {@link SessionConfigError} naming `cookie.<attribute>`).
 */
export function cookieForRequest(
  rules: CookieRules,
  input: SessionInput,
  url: string | URL | undefined,
  override: RequestCookieOptions | undefined,
): SessionCookie {
  const auto = (override?.secure ?? rules.cookieOptions.secure) === 'auto';
  if (override === undefined && !auto) return rules.cookie;
  if (override !== undefined && (override === null || typeof override !== 'object')) {
    throw new SessionConfigError('cookie', 'per-request cookie options must be an object');
  }
  if (override !== undefined && 'name' in override) {
    throw new SessionConfigError(
      'cookie.name',
      'cannot change per request (requests are read by it)',
    );
  }
  const merged: SessionCookieOptions = { ...rules.cookieOptions, ...override };
  if (auto) {
    checkAutoSecure(merged);
    merged.secure = isHttpsRequest(input, url, rules.trustProxy);
  }
  return new SessionCookie(merged);
}

/**
 * Whether the request reached the app over https: its URL says so, or a trusted proxy says so
 * in `X-Forwarded-Proto` (first value). Without trust the header is ignored: any client can
 * send it.
 */
export function isHttpsRequest(
  input: SessionInput,
  url: string | URL | undefined,
  trustProxy: TrustProxyOption,
): boolean {
  const requestUrl = url ?? (input instanceof Request ? input.url : undefined);
  if (requestUrl !== undefined && String(requestUrl).toLowerCase().startsWith('https:')) {
    return true;
  }
  if (trustProxy === false || input === null || input === undefined || typeof input === 'string') {
    return false;
  }
  if (typeof trustProxy === 'function') {
    // The function decides on a Request or Headers; a bare lookup (Node) gives it nothing to go on.
    if (!(input instanceof Request || input instanceof Headers)) return false;
    try {
      if (trustProxy(input) !== true) return false;
    } catch {
      return false;
    }
  }
  const proto = headersOf(input).get('x-forwarded-proto');
  if (proto === null || proto.length > 64) return false;
  return proto.split(',')[0]?.trim().toLowerCase() === 'https';
}
