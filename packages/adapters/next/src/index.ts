/**
 * Next.js App Router integration for fetch-session: route handlers ({@link withSession}),
 * Server Actions ({@link withActionSession}, {@link getSession} with `save()`), Server
 * Components (a read-only {@link getSession}) and the proxy ({@link refreshSession}). Runs on
 * the Node.js and edge runtimes.
 *
 * Middleware is not a security boundary (CVE-2025-29927): check authorisation in the route
 * handler, action or component that uses the data, not only in the proxy.
 * @module
 */
export { isSessionStoreError, SessionReadOnlyError } from './errors.js';
export { type RefreshSessionOptions, refreshSession } from './proxy.js';
export {
  asNextRequest,
  type SessionRouteHandler,
  type WithSessionOptions,
  withSession,
} from './route-handler.js';
export { getSession, type NextSession, withActionSession } from './server-session.js';
