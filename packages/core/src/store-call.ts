import { SessionStoreError, type SessionStoreOperation } from './errors.js';
import type { SessionEvent } from './events.js';

/**
 * Runs a store call; any failure becomes a redacted {@link SessionStoreError} (S24) and a
 * `store-error` event.
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
  } catch (cause) {
    const error =
      cause instanceof SessionStoreError
        ? cause
        : new SessionStoreError(storeName, operation, { cause });
    emit(
      fingerprint === undefined
        ? { type: 'store-error', error }
        : { type: 'store-error', session: fingerprint, error },
    );
    throw error;
  }
}
