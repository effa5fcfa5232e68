/**
 * Server-side sessions for the Web Fetch API: the browser holds a signed session ID, the data
 * lives in a store. Runs on Node, Bun, Deno and Cloudflare Workers (Web Crypto only).
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { memoryStore } from '@fetch-session/memory';
 *
 * const sessions = createSessionManager<{ count: number }>({
 *   store: memoryStore(),
 *   secrets: [env.SESSION_SECRET],
 * });
 * export default { fetch: sessions.wrap(async (request, session) => new Response('hi')) };
 * ```
 * @module
 */
export type { SessionCookieOptions } from './cookie-settings.js';
export {
  type AnySessionError,
  isSessionError,
  isSessionStoreError,
  SessionConfigError,
  SessionCookieTooLargeError,
  SessionError,
  type SessionErrorCode,
  SessionNotSupportedError,
  SessionReadOnlyError,
  SessionSerializationError,
  SessionStateError,
  SessionStoreError,
  type SessionStoreOperation,
} from './errors.js';
export type { SessionEvent, SessionEventListener, SessionEventType } from './events.js';
export {
  jsonSerializer,
  resolveSecrets,
  type SessionOptions,
  type SessionSerializer,
} from './options.js';
export type { RequestCookieOptions, TrustProxyOption } from './request-cookie.js';
export {
  applySessionHeaders,
  commitNeedsHeaders,
  type HeaderSink,
  isFailedResponse,
  storeUnavailableResponse,
  varyIncludesCookie,
  writeSessionHeaders,
} from './response-headers.js';
export type {
  OpenedToken,
  OpenTokenOptions,
  SealTokenOptions,
  SessionTokens,
  TokenRefusal,
} from './sealed-tokens.js';
export type {
  DestroyOptions,
  Session,
  SessionCommit,
  SessionKey,
  SessionTimes,
} from './session.js';
export type { HeaderLookup } from './session-input.js';
export {
  createSessionManager,
  type OpenSessionOptions,
  type SessionHandler,
  type SessionInput,
  type SessionManager,
  type WrapOptions,
} from './session-manager.js';
export type { SessionWriteMethod } from './session-methods.js';
export type { InferSessionData, SessionSchema } from './session-schema.js';
export type { SessionTransportOption } from './session-transport.js';
export {
  type AnySessionStore,
  type CookieSessionStore,
  isCookieSessionStore,
  type SessionMeta,
  type SessionPatch,
  type SessionRecord,
  type SessionStore,
  type SessionWriteOptions,
  type SessionWriteOutcome,
  type UnsealedSession,
  type UserSessionEntry,
} from './store.js';
export type { UserSessionInfo } from './user-sessions.js';
