import { isSessionStoreError, SessionStoreError, type SessionStoreOperation } from './errors.js';
import type { SessionEvent } from './events.js';
import { isRedacted, redactError } from './store-kit/redact.js';

/**
 * Runs a store call; any failure becomes a {@link SessionStoreError} whose `cause` is redacted
 * (S24), and a `store-error` event. Client libraries quote the failed command, session data
 * included, in their messages, and loggers print `cause`: so the cause is a copy without the
 * message's content; the error as thrown stays reachable as the cause's non-enumerable
 * `original`. A store that already throws a `SessionStoreError` (also one from another copy of
 * the core) keeps it: it is not wrapped twice, only its cause is redacted if it was not.
 */
export async function callStore<T>(
  storeName: string,
  operation: SessionStoreOperation,
  fingerprint: string | undefined,
  emit: (event: SessionEvent) => void,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (thrown) {
    const error = storeError(storeName, operation, thrown);
    emit(
      fingerprint === undefined
        ? { type: 'store-error', error }
        : { type: 'store-error', session: fingerprint, error },
    );
    throw error;
  }
}

function storeError(
  storeName: string,
  operation: SessionStoreOperation,
  thrown: unknown,
): SessionStoreError {
  if (!isSessionStoreError(thrown)) {
    return new SessionStoreError(storeName, operation, { cause: redactError(thrown) });
  }
  if (thrown.cause !== undefined && !isRedacted(thrown.cause)) {
    Object.defineProperty(thrown, 'cause', {
      value: redactError(thrown.cause),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return thrown;
}
