import { SessionCookie, type SessionCookieOptions } from './cookie-settings.js';
import { SessionConfigError } from './errors.js';
import type { SessionEventListener } from './events.js';
import { checkAutoSecure, resolveTrustProxy, type TrustProxyOption } from './request-cookie.js';
import { SessionDataSchema, type SessionSchema } from './session-schema.js';
import {
  type HeaderTransport,
  resolveTransport,
  type SessionTransportOption,
} from './session-transport.js';
import { IdSigner } from './signer.js';
import { type AnySessionStore, isCookieSessionStore } from './store.js';

/** Turns one top-level session value into a string for the store, and back. */
export interface SessionSerializer {
  stringify(value: unknown): string | undefined;
  parse(text: string): unknown;
}

/**
 * Options of {@link createSessionManager}.
 *
 * Durations are in seconds, like a cookie's `Max-Age`.
 */
export interface SessionOptions {
  /**
   * Where session data lives: a server-side store such as `memoryStore()` from
   * `@fetch-session/memory`, or a stateless `CookieSessionStore` (`@fetch-session/cookie`) that
   * seals the data into the cookie with its own keys.
   */
  store: AnySessionStore;
  /**
   * Secrets for signing the session cookie, each at least 32 bytes. An ordered list for
   * rotation: the first signs, every one verifies, and a cookie verified by an older one is
   * re-signed with the first on its next response (S27). Required with a server-side store;
   * not used with a cookie store, which seals with its own secrets.
   * @example `secrets: [process.env.SESSION_SECRET_NEW, process.env.SESSION_SECRET_OLD]`
   */
  secrets?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /**
   * Part of every MAC, so a value this secret signed for another purpose is not a session.
   * @default 'fetch-session/session-id/v1'
   */
  purpose?: string;
  /**
   * How the signed session ID travels. The cookie is the default; API and mobile clients can
   * use a request header instead (`{ header: 'x-session' }`) or `Authorization: Bearer <id>`
   * (`{ bearer: true }`). The ID is signed alike; responses then carry no cookie header: a new,
   * rotated or ended session's ID comes back in the response header of the same name
   * (`responseHeader` for bearer, default `x-session`; `''` when the session ended). Needs a
   * server-side store, and a `Request` or `Headers` as the input of `open`.
   * @default 'cookie'
   * @example
   * ```ts
   * const api = createSessionManager({ store, secrets, transport: { header: 'x-session' } });
   * // client: send back the last `x-session` response header as the `x-session` request header
   * ```
   */
  transport?: SessionTransportOption;
  /** Cookie attributes, secure by default (S4). */
  cookie?: SessionCookieOptions;
  /**
   * Whether to believe `X-Forwarded-Proto` for `cookie.secure: 'auto'`. Set it only when a
   * proxy you run sits in front and overwrites that header: `true` for every request, or a
   * function deciding per request (e.g. on a header your platform sets). Never inferred.
   * @default false
   * @example `trustProxy: (request) => request.headers.get('x-internal-hop') === env.HOP_TOKEN`
   */
  trustProxy?: TrustProxyOption;
  /**
   * Whether new sessions get a permanent cookie (`Max-Age`, Flask's `SESSION_PERMANENT`).
   * Otherwise the cookie ends with the browser session. Per session: `session.setPermanent()`.
   * @default false
   */
  permanent?: boolean;
  /** Idle timeout: a session unused this long ends (sliding, S15). @default 86400 (1 day) */
  idleTimeout?: number;
  /** Absolute timeout: a session ends this long after creation, however active (S16). @default 604800 (7 days) */
  absoluteTimeout?: number;
  /**
   * A read-only request refreshes the session (idle timer, store TTL, permanent cookie) only
   * when the last refresh is at least this old, so reads do not write on every request.
   * @default idleTimeout / 10
   */
  touchAfter?: number;
  /** Prefix of store keys; the rest is a SHA-256 of the ID (S28). @default 'sess:' */
  keyPrefix?: string;
  /**
   * Serializer for each top-level value. The default is JSON, parsed without any reviver that
   * could run code, and with `__proto__` keys dropped (S30).
   */
  serializer?: SessionSerializer;
  /**
   * Validates stored session data, because types alone trust whatever the store holds (a
   * record an older deploy wrote, or a corrupted one). A Standard Schema (zod, valibot,
   * arktype...) per top-level key, or one for the whole data object; sync or async. A stored
   * value that fails reads as absent, with an `invalid-data` event naming the key (never the
   * value); the handler never sees a throw. Keys without a schema are not checked. Values the
   * handler sets are not validated (they are typed). With `createSessionManager`, the data
   * type is inferred from the schema.
   * @default undefined (no validation)
   * @example
   * ```ts
   * import { z } from 'zod';
   * const sessions = createSessionManager({
   *   store, secrets,
   *   schema: { cart: z.array(z.string()), user: z.object({ id: z.string() }) },
   * });
   * const cart = await session.get('cart'); // string[] | undefined, checked at load
   * ```
   */
  schema?: SessionSchema;
  /** Clock in epoch milliseconds; inject one in tests. @default Date.now */
  now?: () => number;
  /** Receives {@link SessionEvent}s. */
  onEvent?: SessionEventListener;
  /**
   * The most sessions (lineages) one user may have, with a store that keeps a per-user
   * index. When a commit binds a user past it, the least recently seen sessions of that user
   * are revoked (never the committing one), so the index cannot grow without bound (H7).
   * @default 50
   * @example
   * ```ts
   * createSessionManager({ store, secrets, maxSessionsPerUser: 10 });
   * ```
   */
  maxSessionsPerUser?: number;
  /**
   * How many verified cookie values to remember so that repeat visitors cost no crypto.
   * `0` disables the cache. The core cannot know how many sessions your store holds: with
   * more active visitors than this, most reads verify their cookie again (one HMAC per
   * secret tried, about 9 µs on Node; bench/results/scaling.md). @default 10000
   */
  verifiedCookieCacheSize?: number;
  /**
   * Whether responses that depend on a stored session (the handler used a session loaded from
   * the request's cookie: a dashboard, an account page, a cart) go out with
   * `Cache-Control: private, no-store`, unless the app's own `Cache-Control` already says
   * `private` or `no-store`. `Vary: Cookie` alone is not enough: some CDNs ignore it. Turn it
   * off only if every cache in front of the app honours `Vary: Cookie`. Responses that set the
   * session cookie are kept out of shared caches either way (S22).
   * @default true
   * @example `privateSessionResponses: false // a cache that keys on the cookie sits in front`
   */
  privateSessionResponses?: boolean;
}

/** Options after validation, with defaults applied. Durations in milliseconds. */
export interface ResolvedOptions {
  readonly store: AnySessionStore;
  /** Absent for cookie stores, which seal with their own keys. */
  readonly signer: IdSigner | undefined;
  readonly cookie: SessionCookie;
  /** The cookie options as given, for per-request cookies. */
  readonly cookieOptions: SessionCookieOptions;
  readonly trustProxy: TrustProxyOption;
  /** Absent for the cookie transport. */
  readonly transport: HeaderTransport | undefined;
  readonly permanent: boolean;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly touchAfterMs: number;
  readonly keyPrefix: string;
  readonly maxSessionsPerUser: number;
  readonly serializer: SessionSerializer;
  readonly schema: SessionDataSchema | undefined;
  readonly now: () => number;
  readonly onEvent: SessionEventListener | undefined;
  readonly verifiedCookieCacheSize: number;
  readonly privateSessionResponses: boolean;
}

const MIN_SECRET_BYTES = 32;
const encoder = new TextEncoder();

/** Validates options; every problem throws a {@link SessionConfigError} naming the option. */
export function resolveOptions(options: SessionOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new SessionConfigError('options', 'must be an object');
  }
  const store = options.store;
  if (store === null || typeof store !== 'object') {
    throw new SessionConfigError('store', 'must be a session store');
  }
  if (isCookieSessionStore(store)) {
    if (typeof store.seal !== 'function' || typeof store.unseal !== 'function') {
      throw new SessionConfigError('store', 'a cookie store must implement seal and unseal');
    }
  } else if (
    typeof store.load !== 'function' ||
    typeof store.write !== 'function' ||
    typeof store.delete !== 'function'
  ) {
    throw new SessionConfigError('store', 'must implement load, write and delete');
  }

  const purpose = options.purpose ?? 'fetch-session/session-id/v1';
  if (typeof purpose !== 'string' || purpose.length === 0 || purpose.includes('\u0000')) {
    throw new SessionConfigError('purpose', 'must be a non-empty string without NUL');
  }

  const idleTimeout = options.idleTimeout ?? 86_400;
  const absoluteTimeout = options.absoluteTimeout ?? 604_800;
  requirePositiveSeconds('idleTimeout', idleTimeout);
  requirePositiveSeconds('absoluteTimeout', absoluteTimeout);
  if (idleTimeout > absoluteTimeout) {
    throw new SessionConfigError('idleTimeout', 'must not exceed `absoluteTimeout`');
  }
  const touchAfter = options.touchAfter ?? idleTimeout / 10;
  if (
    typeof touchAfter !== 'number' ||
    !Number.isFinite(touchAfter) ||
    touchAfter < 0 ||
    touchAfter >= idleTimeout
  ) {
    throw new SessionConfigError(
      'touchAfter',
      'must be a number of seconds from 0 up to (not including) `idleTimeout`',
    );
  }

  const keyPrefix = options.keyPrefix ?? 'sess:';
  // Bytes, not characters: stores limit key sizes in bytes (Workers KV: 512 in all).
  if (typeof keyPrefix !== 'string' || encoder.encode(keyPrefix).length > 128) {
    throw new SessionConfigError('keyPrefix', 'must be a string of at most 128 bytes (UTF-8)');
  }

  const serializer = options.serializer ?? jsonSerializer;
  if (typeof serializer.stringify !== 'function' || typeof serializer.parse !== 'function') {
    throw new SessionConfigError('serializer', 'must have stringify and parse functions');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') {
    throw new SessionConfigError('onEvent', 'must be a function');
  }
  const cacheSize = options.verifiedCookieCacheSize ?? 10_000;
  if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) {
    throw new SessionConfigError('verifiedCookieCacheSize', 'must be a whole number, 0 or more');
  }
  const maxSessionsPerUser = options.maxSessionsPerUser ?? 50;
  if (!Number.isSafeInteger(maxSessionsPerUser) || maxSessionsPerUser < 1) {
    throw new SessionConfigError('maxSessionsPerUser', 'must be a whole number, 1 or more');
  }
  const permanent = options.permanent ?? false;
  if (typeof permanent !== 'boolean')
    throw new SessionConfigError('permanent', 'must be a boolean');
  const privateSessionResponses = options.privateSessionResponses ?? true;
  if (typeof privateSessionResponses !== 'boolean')
    throw new SessionConfigError('privateSessionResponses', 'must be a boolean');

  const cookieOptions: SessionCookieOptions = { ...options.cookie };
  if (cookieOptions.secure === 'auto') checkAutoSecure(cookieOptions);
  const transport = resolveTransport(options.transport);
  if (transport !== undefined && isCookieSessionStore(store)) {
    throw new SessionConfigError(
      'transport',
      'a header transport needs a server-side store (a cookie store puts the data in the cookie)',
    );
  }

  return {
    store,
    signer:
      isCookieSessionStore(store) && options.secrets === undefined
        ? undefined
        : new IdSigner(resolveSecrets(options.secrets), purpose),
    cookie: new SessionCookie(
      cookieOptions.secure === 'auto' ? { ...cookieOptions, secure: true } : cookieOptions,
    ),
    cookieOptions,
    trustProxy: resolveTrustProxy(options.trustProxy),
    transport,
    permanent,
    idleTimeoutMs: idleTimeout * 1000,
    absoluteTimeoutMs: absoluteTimeout * 1000,
    touchAfterMs: touchAfter * 1000,
    keyPrefix,
    maxSessionsPerUser,
    serializer,
    schema: options.schema === undefined ? undefined : new SessionDataSchema(options.schema),
    now,
    onEvent: options.onEvent,
    verifiedCookieCacheSize: cacheSize,
    privateSessionResponses,
  };
}

/**
 * Validates a `secrets` option (one secret or an ordered list, each at least 32 bytes) and
 * returns each as bytes. Throws {@link SessionConfigError} naming `secrets` or `secrets[i]`.
 * For store authors whose stores take secrets of their own, so every package checks alike.
 *
 * @example
 * ```ts
 * const keys = resolveSecrets(options.secrets); // Uint8Array[], newest first
 * ```
 */
export function resolveSecrets(secrets: SessionOptions['secrets']): Uint8Array<ArrayBuffer>[] {
  const list = typeof secrets === 'string' || secrets instanceof Uint8Array ? [secrets] : secrets;
  if (secrets === undefined || secrets === null) {
    throw new SessionConfigError('secrets', `is ${secrets}: ${MISSING_SECRET}`);
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new SessionConfigError(
      'secrets',
      `must be a secret or a non-empty list of secrets: ${HOW_TO_MAKE_SECRET}`,
    );
  }
  return list.map((secret: unknown, index: number) => {
    const bytes =
      typeof secret === 'string'
        ? encoder.encode(secret)
        : secret instanceof Uint8Array
          ? new Uint8Array(secret)
          : undefined;
    if (secret === undefined || secret === null) {
      throw new SessionConfigError(`secrets[${index}]`, `is ${secret}: ${MISSING_SECRET}`);
    }
    if (bytes === undefined) {
      throw new SessionConfigError(
        `secrets[${index}]`,
        `must be a string or a Uint8Array, not ${typeof secret}`,
      );
    }
    if (bytes.length < MIN_SECRET_BYTES) {
      throw new SessionConfigError(
        `secrets[${index}]`,
        bytes.length === 0
          ? `is empty (an environment variable set to nothing?): ${HOW_TO_MAKE_SECRET}`
          : `must be at least ${MIN_SECRET_BYTES} bytes (got ${bytes.length}): ${HOW_TO_MAKE_SECRET}`,
      );
    }
    return bytes;
  });
}

const RANDOM_SECRET =
  '32 or more random bytes, made with `openssl rand -base64 32` or ' +
  '`node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"`';
const HOW_TO_MAKE_SECRET = `set it to ${RANDOM_SECRET}`;
const MISSING_SECRET =
  'the secret is missing, usually an environment variable that is not set ' +
  '(`secrets: [process.env.SESSION_SECRET]` without SESSION_SECRET). Set SESSION_SECRET ' +
  `(in .env, your host's settings or with \`wrangler secret put\`) to ${RANDOM_SECRET}`;

function requirePositiveSeconds(option: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SessionConfigError(option, 'must be a positive number of seconds');
  }
}

/**
 * JSON with `__proto__` keys dropped (S30). The reviver runs only when the text could hold one:
 * written plainly or with a character escaped (`"\u005f_proto__"` is the same key).
 */
export const jsonSerializer: SessionSerializer = {
  stringify: (value) => JSON.stringify(value),
  parse: (text) =>
    text.includes('__proto__') || text.includes('\\u')
      ? JSON.parse(text, dropProtoKeys)
      : JSON.parse(text),
};

function dropProtoKeys(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}
