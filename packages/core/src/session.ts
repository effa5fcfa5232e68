/**
 * The session a handler sees: typed, lazily loaded, tracking its own changes.
 * @module
 */

/** Keys of a session data type that can be used as top-level session keys. */
export type SessionKey<Data> = Extract<keyof Data, string>;

/**
 * A server-side session. Every method is async because the record is loaded lazily, on the
 * first call, and at most once per request; a handler that never calls a method costs no store
 * operation and no crypto.
 *
 * Values are stored per top-level key. Nested changes are detected automatically at commit
 * (`(await session.get('cart')).items.push(item)` is saved), and only keys whose serialized
 * form changed are written, so concurrent requests that change different keys both survive.
 *
 * @typeParam Data - the shape of the session data.
 * @typeParam Flash - the shape of flash values (each survives until it is read once).
 *
 * @example
 * ```ts
 * interface Data { count: number; user: { id: string; name: string } }
 * interface Flash { notice: string }
 * const sessions = createSessionManager<Data, Flash>({ store: memoryStore(), secrets });
 *
 * export default {
 *   fetch: sessions.wrap(async (request, session) => {
 *     const count = ((await session.get('count')) ?? 0) + 1;
 *     await session.set('count', count);
 *     return new Response(`You have visited this page ${count} times`);
 *   }),
 * };
 * ```
 */
export interface Session<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
> {
  /** The value of `key`, or `undefined`. Objects returned are live: mutate them and the change is saved. */
  get<K extends SessionKey<Data>>(key: K): Promise<Data[K] | undefined>;
  /** Sets `key`. Setting `undefined` deletes it. */
  set<K extends SessionKey<Data>>(key: K, value: Data[K] | undefined): Promise<void>;
  /** Deletes `key`. */
  delete(key: SessionKey<Data>): Promise<void>;
  /** Whether `key` holds a value. */
  has(key: SessionKey<Data>): Promise<boolean>;
  /** The keys that hold a value. */
  keys(): Promise<Array<SessionKey<Data>>>;
  /** All data as one object (a snapshot whose nested objects are live, as with `get`). */
  all(): Promise<Partial<Data>>;
  /** Deletes every data key (flash values stay). */
  clear(): Promise<void>;
  /** Sets a flash value: it survives until it is read once with {@link Session.takeFlash}. */
  flash<K extends SessionKey<Flash>>(key: K, value: Flash[K]): Promise<void>;
  /**
   * Reads a flash value without consuming it, e.g. to show it where the session cannot be
   * written (a Next.js Server Component); something that can write must still take it.
   */
  peekFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined>;
  /** Reads and removes a flash value. */
  takeFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined>;
  /**
   * Moves the session to a new ID at commit, keeping its data, and deletes the old record:
   * call it at login and at every privilege change (session fixation, S13/S14).
   */
  regenerate(): Promise<void>;
  /**
   * Deletes the record now and expires the cookie (S19). Writing afterwards starts a new
   * session with a new ID (for example a "logged out" flash message). With
   * `{ clearSiteData: true }` the response also clears the browser's site data (S23).
   */
  destroy(options?: DestroyOptions): Promise<void>;
  /** Makes the cookie permanent (`Max-Age`) or a browser-session cookie, like Flask's `session.permanent`. */
  setPermanent(permanent: boolean): Promise<void>;
  /** Whether the cookie is permanent. */
  isPermanent(): Promise<boolean>;
  /** True when no stored session backs this one (new visitor, expired, destroyed). */
  isNew(): Promise<boolean>;
  /**
   * Binds the session to a user, for "list my sessions" and "log out everywhere" (call it at
   * login, right after `regenerate()`). The user ID and the device label stay server-side. The
   * label defaults to a coarse one from the request's User-Agent (`Firefox on Windows`).
   */
  bindUser(userId: string, options?: { device?: string }): Promise<void>;
  /** The user the session is bound to, if any. */
  userId(): Promise<string | undefined>;
  /**
   * The handle that names this session in `listSessions()` (never the session ID); `undefined`
   * for a session not stored yet, or with a stateless store.
   */
  handle(): Promise<string | undefined>;
  /**
   * The session's CSRF token (OWASP synchronizer token), for apps that cannot rely on
   * `SameSite` and `Origin` checks alone: 256 random bits, stored in the session, created on
   * first use (which saves the session), the same on every request until `regenerate()` or
   * `destroy()` replaces it. Put it in forms or a header; check it with
   * {@link Session.verifyCsrfToken}. It is not visible to `get`, `keys`, `all` or `clear`.
   *
   * @example
   * ```ts
   * const token = await session.csrfToken();
   * html`<input type="hidden" name="csrf" value="${token}">`;
   * // on POST:
   * if (!(await session.verifyCsrfToken(form.get('csrf')))) return new Response(null, { status: 403 });
   * ```
   */
  csrfToken(): Promise<string>;
  /**
   * Whether `token` is this session's current CSRF token, compared in constant time. Anything
   * else (no token issued, a forged, empty, truncated or pre-`regenerate()` token, a non-string)
   * is `false`, never a throw.
   */
  verifyCsrfToken(token: unknown): Promise<boolean>;
  /**
   * The session's timestamps (epoch ms), or `undefined` for a session not stored yet (a new
   * visitor, or one destroyed in this request). Works on read-only sessions.
   *
   * @example
   * ```ts
   * const times = await session.times();
   * // { createdAt, lastSeenAt, expiresAt, authenticatedAt: 1767225600000 | undefined }
   * ```
   */
  times(): Promise<SessionTimes | undefined>;
  /**
   * Records that the user just proved who they are (re-entered their password, a second
   * factor), for {@link Session.isFresh}. `bindUser()` does it too, at login. Kept in the
   * record's metadata (`authenticatedAt`) and across `regenerate()`.
   */
  markAuthenticated(): Promise<void>;
  /**
   * Whether the user authenticated (`bindUser()` or `markAuthenticated()`) less than
   * `maxAgeSeconds` ago by the manager's clock: ask for the password again before sensitive
   * actions otherwise (GitHub's sudo mode, Better Auth's `freshAge`). False for a session
   * that never authenticated. Works on read-only sessions.
   *
   * @example
   * ```ts
   * if (!(await session.isFresh(600))) return Response.redirect('/reauth?next=/settings/password', 303);
   * ```
   */
  isFresh(maxAgeSeconds: number): Promise<boolean>;
}

/** A stored session's timestamps, in epoch milliseconds ({@link Session.times}). */
export interface SessionTimes {
  /** When the session was created; `regenerate()` keeps it. */
  readonly createdAt: number;
  /** When it was last refreshed (at most once per `touchAfter`). */
  readonly lastSeenAt: number;
  /** When it ends unless refreshed: the earlier of the idle and the absolute deadline. */
  readonly expiresAt: number;
  /** When the user last authenticated in it, if ever. */
  readonly authenticatedAt: number | undefined;
}

/** Options of `session.destroy()`. */
export interface DestroyOptions {
  /**
   * Also ask the browser to clear this origin's cookies and storage: the response gets
   * `Clear-Site-Data: "cookies", "storage"` (S23). Use it on logout when the app keeps
   * user data in `localStorage`, IndexedDB or other cookies.
   * @default false
   * @example
   * ```ts
   * await session.destroy({ clearSiteData: true });
   * ```
   */
  readonly clearSiteData?: boolean;
}

/** What a commit asks of the response. */
export interface SessionCommit {
  /** A `Set-Cookie` value to append, if the cookie must be set or cleared. */
  readonly setCookie: string | undefined;
  /** Whether the session was read or written, so the response must carry `Vary: Cookie` (S22). */
  readonly vary: boolean;
  /**
   * Whether the handler changed what the session holds (data, flash values, permanence, a new
   * or destroyed session); a refresh alone is not a change. Frameworks that cache rendered
   * pages use it (a Next.js Server Action re-renders when it is true).
   */
  readonly changed: boolean;
  /**
   * Whether the response depends on a stored session (the handler used a session loaded from
   * the request's cookie), so no shared cache may store it: the headers then get
   * `Cache-Control: private, no-store` unless the app chose `private` or `no-store` (S22).
   * Always false when the manager's `privateSessionResponses` is off. A response that sets
   * the cookie is kept out of shared caches because of `setCookie` alone.
   */
  readonly private: boolean;
  /** `destroy({ clearSiteData: true })` was called: send `Clear-Site-Data` (S23). */
  readonly clearSiteData?: boolean;
  /**
   * With a header transport (`transport` option): the response header that carries the new or
   * rotated signed session ID, or `''` when the session ended. `setCookie` is then always
   * `undefined`.
   */
  readonly sessionHeader?: { readonly name: string; readonly value: string } | undefined;
  /** With a header transport: the request header the response varies on instead of `Cookie`. */
  readonly varyOn?: string | undefined;
}
