import { SessionConfigError, SessionStoreError, type SessionStoreOperation } from '../errors.js';
import { redactError } from './redact.js';

/** Runs one store operation; see {@link createStoreGuard}. */
export type StoreGuard = <T>(
  operation: SessionStoreOperation,
  call: () => Promise<T>,
) => Promise<T>;

/**
 * A wrapper for a store's operations: any failure becomes a `SessionStoreError` naming the
 * store and the operation, whose `cause` is the error redacted with `redactError` (drivers
 * quote keys and data in their messages: S24). A `SessionConfigError` is kept as the cause
 * as it is: it names an option or a missing table, never data, and says how to fix it.
 *
 * @example
 * ```ts
 * const guard = createStoreGuard('mydb');
 * const store = {
 *   name: 'mydb',
 *   load: (key: string) => guard('load', () => client.get(key)),
 *   // ...
 * };
 * ```
 */
export function createStoreGuard(store: string): StoreGuard {
  return async function guardStoreOperation<T>(
    operation: SessionStoreOperation,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const cause = error instanceof SessionConfigError ? error : redactError(error);
      throw new SessionStoreError(store, operation, { cause });
    }
  };
}
