import { type SetCookie, stringifySetCookie } from 'cookie';
import { SessionConfigError, SessionCookieTooLargeError } from './errors.js';

/** Attributes of the session cookie. Every one is validated at construction (S7). */
export interface SessionCookieOptions {
  /**
   * Cookie name. Generic by default so it does not fingerprint the stack (S3). A `__Host-`
   * name requires `secure`, `path: '/'` and no `domain`; `__Secure-` requires `secure` (S5).
   * @default 'sid'
   */
  name?: string;
  /** @default '/' */
  path?: string;
  /** Leave unset (the default) to keep the cookie on the exact host. @default undefined */
  domain?: string;
  /** @default true */
  httpOnly?: boolean;
  /**
   * Sends the cookie over HTTPS only. Browsers treat `http://localhost`, `127.0.0.1` and
   * `[::1]` as secure, so the default suits local development too, but over plain `http://`
   * to any other host (a LAN address such as `http://192.168.1.20:3000`, a phone testing the
   * app) the browser silently drops the cookie and every request starts a new session. The
   * manager then emits one `insecure-transport` event (`onEvent`), with the origin, the first
   * time it sets a `Secure` cookie on such a request. Serve HTTPS there, or set `secure: false`
   * for that development setup only.
   * @default true
   * @example
   * ```ts
   * cookie: { secure: process.env.NODE_ENV === 'production' || !process.env.LAN_DEV }
   * ```
   *
   * `'auto'` (like express-session) sets `Secure` per request: when the request URL is
   * https, or when the manager's `trustProxy` is set and the proxy says
   * `X-Forwarded-Proto: https`. The header alone is never believed: any client can send it.
   * @example
   * ```ts
   * createSessionManager({ store, secrets, trustProxy: true, cookie: { secure: 'auto' } });
   * ```
   */
  secure?: boolean | 'auto';
  /** `none` requires `secure` (S6). @default 'lax' */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Chrome's `Priority` attribute. @default undefined */
  priority?: 'low' | 'medium' | 'high';
  /** CHIPS `Partitioned`; requires `secure`. @default false */
  partitioned?: boolean;
}

/** RFC 9110 token: what a cookie name may contain (stricter than what browsers tolerate). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Path: starts with `/`, printable ASCII without `;` (attribute injection, CVE-2024-47764) and
 * without `<`, which the `cookie` serializer refuses too.
 */
const PATH = /^\/[\u0021-\u003A\u003D-\u007E]*$/;
const MAX_COOKIE_BYTES = 4096;

/** Writes `Set-Cookie` values for one validated configuration. */
export class SessionCookie {
  readonly name: string;
  /** Whether the cookie carries `Secure`. */
  readonly secure: boolean;
  readonly #attributes: Omit<SetCookie, 'name' | 'value'>;

  constructor(options: SessionCookieOptions = {}) {
    const name = options.name ?? 'sid';
    const path = options.path ?? '/';
    // `'auto'` is resolved per request before it gets here; the boolean check below refuses it.
    const secure = (options.secure ?? true) as boolean;
    const sameSite = options.sameSite ?? 'lax';
    const { domain, priority } = options;
    const partitioned = options.partitioned ?? false;

    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new SessionConfigError('cookie.name', 'must be a non-empty RFC 9110 token');
    }
    if (typeof path !== 'string' || !PATH.test(path)) {
      throw new SessionConfigError(
        'cookie.path',
        'must start with "/" and hold printable ASCII other than ";" and "<"',
      );
    }
    if (domain !== undefined) {
      if (typeof domain !== 'string' || !isValidDomain(domain)) {
        throw new SessionConfigError('cookie.domain', 'must be a host name such as "example.com"');
      }
    }
    if (sameSite !== 'lax' && sameSite !== 'strict' && sameSite !== 'none') {
      throw new SessionConfigError('cookie.sameSite', 'must be "lax", "strict" or "none"');
    }
    if (
      priority !== undefined &&
      priority !== 'low' &&
      priority !== 'medium' &&
      priority !== 'high'
    ) {
      throw new SessionConfigError('cookie.priority', 'must be "low", "medium" or "high"');
    }
    for (const flag of ['httpOnly', 'secure', 'partitioned'] as const) {
      const value = options[flag];
      if (value !== undefined && typeof value !== 'boolean') {
        throw new SessionConfigError(`cookie.${flag}`, 'must be a boolean');
      }
    }
    if (sameSite === 'none' && !secure) {
      throw new SessionConfigError('cookie.sameSite', '"none" requires `cookie.secure: true`');
    }
    if (partitioned && !secure) {
      throw new SessionConfigError('cookie.partitioned', 'requires `cookie.secure: true`');
    }
    // Browsers match the prefixes case-insensitively (RFC 6265bis), so `__host-` is bound too.
    const lowerName = name.toLowerCase();
    if (lowerName.startsWith('__host-')) {
      if (!secure) throw new SessionConfigError('cookie.secure', 'a __Host- cookie must be secure');
      if (path !== '/')
        throw new SessionConfigError('cookie.path', 'a __Host- cookie must have path "/"');
      if (domain !== undefined)
        throw new SessionConfigError('cookie.domain', 'a __Host- cookie must not set a domain');
    } else if (lowerName.startsWith('__secure-') && !secure) {
      throw new SessionConfigError('cookie.secure', 'a __Secure- cookie must be secure');
    }

    this.name = name;
    this.secure = secure;
    this.#attributes = {
      path,
      httpOnly: options.httpOnly ?? true,
      secure,
      sameSite,
      partitioned,
      ...(domain !== undefined && { domain }),
      ...(priority !== undefined && { priority }),
    };
    // The library validates once more; a mismatch between our rules and its rules should show
    // up here, at construction, not on the first response.
    try {
      this.serialize('x', undefined);
    } catch (cause) {
      throw new SessionConfigError(
        'cookie',
        `rejected by the cookie serializer (${(cause as Error).message})`,
      );
    }
  }

  /**
   * A `Set-Cookie` value carrying `value`. `maxAge` in seconds makes it permanent; `undefined`
   * makes it a browser-session cookie (S8).
   */
  serialize(value: string, maxAge: number | undefined): string {
    const header = stringifySetCookie(
      {
        name: this.name,
        value,
        ...this.#attributes,
        ...(maxAge !== undefined && { maxAge }),
      },
      { encode: identity },
    );
    const pairBytes = this.name.length + 1 + byteLength(value);
    if (pairBytes > MAX_COOKIE_BYTES) throw new SessionCookieTooLargeError(this.name, pairBytes);
    return header;
  }

  /** A `Set-Cookie` that removes the cookie: same name, path and domain, expired (S19). */
  serializeExpired(): string {
    return stringifySetCookie(
      { name: this.name, value: '', ...this.#attributes, maxAge: 0, expires: new Date(0) },
      { encode: identity },
    );
  }
}

function identity(value: string): string {
  return value;
}

const textEncoder = new TextEncoder();
function byteLength(text: string): number {
  // Session values are ASCII; the encoder only matters for stores that put data in the cookie.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 127) return textEncoder.encode(text).length;
  }
  return text.length;
}

const DOMAIN = /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
function isValidDomain(domain: string): boolean {
  return domain.length <= 253 && DOMAIN.test(domain);
}
