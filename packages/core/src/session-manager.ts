import { CookiePersistence } from './cookie-persistence.js';
import { type SessionReadOnlyError, SessionStoreError } from './errors.js';
import type { SessionEvent } from './events.js';
import { insecureOrigin } from './insecure-transport.js';
import { resolveOptions, resolveSecrets, type SessionOptions } from './options.js';
import type { RequestCookieOptions } from './request-cookie.js';
import {
  applySessionHeaders,
  isFailedResponse,
  storeUnavailableResponse,
} from './response-headers.js';
import { createSessionTokens, type SessionTokens } from './sealed-tokens.js';
import { ServerPersistence } from './server-persistence.js';
import type { Session, SessionCommit } from './session.js';
import type { SessionInput } from './session-input.js';
import type { SessionWriteMethod } from './session-methods.js';
import type { InferSessionData, SessionSchema } from './session-schema.js';
import { type SessionContext, SessionState } from './session-state.js';
import type { IdSigner } from './signer.js';
import { isCookieSessionStore } from './store.js';
import { type UserSessionInfo, UserSessions } from './user-sessions.js';

export type { SessionInput } from './session-input.js';

/** Options of {@link SessionManager.open}. */
export interface OpenSessionOptions {
  /**
   * Called once, synchronously, when the handler first uses the session. Adapters use it to
   * set `Vary: Cookie` while the response is still being built.
   */
  onAccess?: () => void;
  /**
   * The request's URL, for adapters that pass only a cookie header: lets the manager warn
   * (`insecure-transport` event) when a `Secure` cookie is set over plain http to a LAN host.
   * Not needed when `input` is a `Request`.
   * @default the URL of `input` when it is a `Request`
   */
  url?: string | URL;
  /**
   * Opens the session read-only, for places that may read it but cannot send a cookie (a
   * Next.js Server Component). Reads work; every method that would change the session
   * (`set`, `delete`, `clear`, `flash`, `takeFlash`, `regenerate`, `destroy`, `setPermanent`,
   * `bindUser`, `markAuthenticated`) rejects with {@link SessionReadOnlyError} before loading anything; `commit`
   * writes nothing and sets no cookie, so a read-only session never mints an ID and never
   * touches (refreshes) the record. A record found expired while loading is still deleted.
   * @default false
   * @example
   * ```ts
   * const session = sessions.open(cookieHeader, { readOnly: true });
   * const user = await session.get('user');
   * ```
   */
  readOnly?: boolean;
  /**
   * With `readOnly`: the error a refused write rejects with, for adapters that explain their
   * framework's rule. `operation` is the method's name (`set`).
   * @default (operation) => new SessionReadOnlyError(operation)
   */
  readOnlyError?: (operation: SessionWriteMethod) => Error;
  /**
   * Cookie attributes for this request only (all but `name`), over the manager's, validated
   * the same way: a bad value throws {@link SessionConfigError} naming `cookie.<attribute>`.
   * @default the manager's `cookie` options
   * @example
   * ```ts
   * const session = sessions.open(request, { cookie: { domain: tenantDomain(request) } });
   * ```
   */
  cookie?: RequestCookieOptions;
}

/** Options of {@link SessionManager.wrap}. */
export interface WrapOptions {
  /**
   * The response when the store fails (the session cannot be loaded or saved). Never an empty
   * session in its place (S29).
   * @default a `503 Service Unavailable` with `Retry-After: 1` and `Cache-Control: no-store`
   */
  onStoreError?: (error: SessionStoreError, request: Request) => Response | Promise<Response>;
}

/** A fetch handler that receives the request's session. */
export type SessionHandler<Data extends object, Flash extends object, Args extends unknown[]> = (
  request: Request,
  session: Session<Data, Flash>,
  ...args: Args
) => Response | Promise<Response>;

/**
 * Opens and commits sessions for one configuration. Create it once, at module scope: it caches
 * imported keys and verified cookies.
 */
export interface SessionManager<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
> {
  /** The session cookie's name. */
  readonly cookieName: string;
  /**
   * Sealed, expiring, optionally single-use tokens for links that are not the session
   * (password reset, email verification, invitations), encrypted with the manager's `secrets`
   * (see {@link SessionTokens}).
   *
   * @example
   * ```ts
   * const token = await sessions.tokens.seal({ userId }, { purpose: 'password-reset', expiresIn: 900, once: true });
   * const opened = await sessions.tokens.open<{ userId: string }>(token, { purpose: 'password-reset' });
   * if (opened.ok) opened.value.userId; else opened.reason; // 'expired' | 'invalid' | 'purpose' | 'used'
   * ```
   */
  readonly tokens: SessionTokens;
  /**
   * The session of one request. Synchronous and free: nothing is parsed, verified or loaded
   * until the handler first calls a session method.
   */
  open(input: SessionInput, options?: OpenSessionOptions): Session<Data, Flash>;
  /**
   * Loads a session now, without counting as a use (no `Vary`, no touch unless the handler
   * then uses it). Rejects with {@link SessionStoreError} if the store fails. For adapters
   * whose frameworks expect the session ready before the route runs (Express).
   */
  preload(session: Session<Data, Flash>): Promise<void>;
  /**
   * Saves what the handler changed and returns what the response needs. Call exactly once per
   * opened session, after the handler. Throws {@link SessionStoreError} if the store fails.
   */
  commit(session: Session<Data, Flash>): Promise<SessionCommit>;
  /**
   * The live sessions of a user (bound with `session.bindUser()`), newest first, with display
   * metadata and opaque handles; expired ones never appear. Pass the asking request's session
   * as `current` to have it marked. Needs a store with a per-user index; otherwise (and with a
   * cookie store) throws {@link SessionNotSupportedError}.
   *
   * @example
   * ```ts
   * const mine = await sessions.listSessions(userId, { current: session });
   * // [{ handle, createdAt, lastSeenAt, device: 'Firefox on Windows', current: true }, ...]
   * const second = await sessions.listSessions(userId, { limit: 10, offset: 10 });
   * ```
   */
  listSessions(
    userId: string,
    options?: {
      current?: Session<Data, Flash>;
      /** Page size. @default all (at most `maxSessionsPerUser`) */
      limit?: number;
      /** Sessions to skip, counted in the same newest-first order. @default 0 */
      offset?: number;
    },
  ): Promise<UserSessionInfo[]>;
  /**
   * Ends one of the user's sessions by its handle. It is refused on its very next request,
   * and a request already in flight cannot bring it back when it commits. Returns `false` when
   * the handle names no session of this user.
   */
  revokeSession(userId: string, handle: string): Promise<boolean>;
  /**
   * Ends all of a user's sessions ("log out everywhere"), or all but one (`except`: a handle,
   * or the current session, e.g. after a password change). Returns how many were ended.
   */
  revokeAllSessions(
    userId: string,
    options?: { except?: string | Session<Data, Flash> },
  ): Promise<number>;
  /** Adds a commit's `Set-Cookie`, `Vary` and `Cache-Control` to a response ({@link applySessionHeaders}). */
  applyToResponse(response: Response, commit: SessionCommit): Response;
  /**
   * Wraps a fetch handler (`Bun.serve`, `Deno.serve`, a Workers `fetch`) with sessions:
   * open, run the handler, commit, apply headers. Extra arguments (`env`, `ctx`) pass through.
   * A handler that throws or answers 5xx commits nothing ({@link isFailedResponse}).
   */
  wrap<Args extends unknown[]>(
    handler: SessionHandler<Data, Flash, Args>,
    options?: WrapOptions,
  ): (request: Request, ...args: Args) => Promise<Response>;
}

/**
 * Creates a session manager. Throws {@link SessionConfigError} naming the option at fault.
 *
 * @typeParam Data - the shape of the session data.
 * @typeParam Flash - the shape of flash values.
 *
 * @example Any fetch runtime (Bun, Deno, Workers, Node through a fetch bridge)
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { memoryStore } from '@fetch-session/memory';
 *
 * const sessions = createSessionManager<{ count: number }>({
 *   store: memoryStore(),
 *   secrets: [env.SESSION_SECRET],
 * });
 *
 * export default {
 *   fetch: sessions.wrap(async (request, session) => {
 *     const count = ((await session.get('count')) ?? 0) + 1;
 *     await session.set('count', count);
 *     return new Response(`You have visited this page ${count} times`);
 *   }),
 * };
 * ```
 *
 * @example The low-level pair, for adapters
 * ```ts
 * const session = sessions.open(request.headers.get('cookie'));
 * const response = await handler(request, session);
 * const commit = await sessions.commit(session); // { setCookie, vary }
 * return sessions.applyToResponse(response, commit);
 * ```
 */
export function createSessionManager<
  Schema extends SessionSchema,
  Flash extends object = Record<string, unknown>,
>(
  options: SessionOptions & { schema: Schema },
): SessionManager<Partial<InferSessionData<Schema>> & object, Flash>;
export function createSessionManager<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
>(options: SessionOptions): SessionManager<Data, Flash>;
export function createSessionManager<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
>(options: SessionOptions): SessionManager<Data, Flash> {
  const resolved = resolveOptions(options);
  const listener = resolved.onEvent;
  const emit =
    listener === undefined
      ? noop
      : (event: SessionEvent) => {
          try {
            listener(event);
          } catch {
            // A failing logger must not fail the request.
          }
        };
  const { store, signer } = resolved;
  let transportChecked = !resolved.cookie.secure || listener === undefined;
  const users = new UserSessions(resolved, emit);
  const context: SessionContext = {
    ...resolved,
    emit,
    userBound: (userId, handle) => users.enforceCap(userId, handle),
    checkTransport(input, url) {
      if (transportChecked) return;
      const origin = insecureOrigin(input, url);
      if (origin === undefined) return;
      transportChecked = true; // once per manager: a hint, not a log flood
      emit({ type: 'insecure-transport', origin });
    },
    persistence: isCookieSessionStore(store)
      ? new CookiePersistence(store, emit)
      : new ServerPersistence({
          store,
          signer: signer as IdSigner, // always set for server-side stores
          keyPrefix: resolved.keyPrefix,
          cacheSize: resolved.verifiedCookieCacheSize,
          emit,
        }),
  };

  const own = (session: Session<Data, Flash>): SessionState<Data, Flash> => {
    if (!(session instanceof SessionState)) {
      throw new TypeError('[fetch-session] expected a session opened by this manager');
    }
    return session;
  };

  const handleOf = async (
    session: Session<Data, Flash> | string | undefined,
  ): Promise<string | undefined> =>
    session === undefined || typeof session === 'string' ? session : own(session).handle();

  const tokens = createSessionTokens({
    secrets: options.secrets === undefined ? undefined : resolveSecrets(options.secrets),
    store,
    keyPrefix: resolved.keyPrefix,
    now: resolved.now,
    emit,
  });

  return {
    cookieName: resolved.cookie.name,
    tokens,
    listSessions: async (userId, listOptions) =>
      users.list(userId, await handleOf(listOptions?.current), listOptions),
    revokeSession: (userId, handle) => users.revoke(userId, handle),
    revokeAllSessions: async (userId, revokeOptions) =>
      users.revokeAll(userId, await handleOf(revokeOptions?.except)),
    open: (input, openOptions) => new SessionState<Data, Flash>(context, input, openOptions),
    preload: (session) => own(session).preload(),
    commit: (session) => own(session).commit(),
    applyToResponse: applySessionHeaders,
    wrap(handler, wrapOptions) {
      const onStoreError = wrapOptions?.onStoreError ?? storeUnavailableResponse;
      return async function sessionHandler(request, ...args) {
        const session = new SessionState<Data, Flash>(context, request);
        try {
          const response = await handler(request, session, ...args);
          // A failed handler commits nothing, like a throw (which skips the commit too).
          if (isFailedResponse(response.status)) return response;
          return applySessionHeaders(response, await session.commit());
        } catch (error) {
          if (error instanceof SessionStoreError) return onStoreError(error, request);
          throw error;
        }
      };
    },
  };
}

function noop(): void {}
