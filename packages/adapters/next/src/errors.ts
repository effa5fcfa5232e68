import { SessionStateError, SessionStoreError } from '@fetch-session/core/errors';

/**
 * A write to a read-only session: Next.js lets Server Components read cookies but not set
 * them, so the session {@link getSession} returns there refuses every write instead of saving
 * data the browser would never be pointed at. Its `code` is `ERR_SESSION_STATE`, like every
 * `SessionStateError`.
 *
 * @example
 * ```ts
 * import { SessionReadOnlyError } from '@fetch-session/next';
 *
 * try {
 *   await session.set('theme', 'dark');
 * } catch (error) {
 *   if (error instanceof SessionReadOnlyError) console.error(error.operation); // 'set'
 * }
 * ```
 */
export class SessionReadOnlyError extends SessionStateError {
  /** What was refused: a session method such as `set`, or `withActionSession`. */
  readonly operation: string;

  constructor(operation: string) {
    super(
      `${operation} needs to set a cookie, and Next.js allows that only in Server Actions, ` +
        'route handlers and the proxy: here (a Server Component) the session is read-only. ' +
        'Write in a Server Action (withActionSession or session.save()), a route handler ' +
        '(withSession) or the proxy (refreshSession).',
    );
    this.operation = operation;
    // Set explicitly: production bundles (Turbopack) minify class names.
    this.name = 'SessionReadOnlyError';
  }
}

/**
 * Whether `error` is a store failure. Matched by class and, failing that, by code: a Next app
 * can bundle the core twice (the proxy and the routes are separate bundles), and an error
 * from the other copy is no `instanceof` this one.
 */
export function isSessionStoreError(error: unknown): error is SessionStoreError {
  return (
    error instanceof SessionStoreError ||
    (error instanceof Error && (error as { code?: unknown }).code === SessionStoreError.code)
  );
}

/** Whether `error` is what `redirect()` from `next/navigation` throws. */
export function isRedirectError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const digest = (error as { digest?: unknown }).digest;
  return typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT;');
}
