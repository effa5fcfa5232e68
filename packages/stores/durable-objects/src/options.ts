import { SessionConfigError } from '@fetch-session/core/errors';
import type { SessionObjectNamespace } from './namespace.js';

/** Options of {@link durableObjectStore}. */
export interface DurableObjectStoreOptions {
  /**
   * The Durable Object namespace binding of {@link SessionObject}, e.g. `env.SESSIONS`
   * (`[[durable_objects.bindings]]` in your Wrangler configuration, with a
   * `new_sqlite_classes` migration).
   */
  namespace: SessionObjectNamespace;
  /**
   * The clock in epoch milliseconds, on which expiry is decided (the object takes the store's
   * time with each call). Only tests should change it.
   * @default Date.now
   */
  now?: () => number;
}

/** Options after validation, with defaults applied. */
export interface ResolvedDurableObjectStoreOptions {
  readonly namespace: SessionObjectNamespace;
  readonly now: () => number;
}

/** Validates options; every problem throws a `SessionConfigError` naming the option. */
export function resolveOptions(
  options: DurableObjectStoreOptions,
): ResolvedDurableObjectStoreOptions {
  if (options === null || typeof options !== 'object') {
    throw new SessionConfigError('options', 'must be an object');
  }
  const { namespace } = options;
  if (
    namespace === null ||
    typeof namespace !== 'object' ||
    typeof namespace.idFromName !== 'function' ||
    typeof namespace.get !== 'function'
  ) {
    throw new SessionConfigError(
      'namespace',
      'must be the Durable Object namespace binding of SessionObject (with idFromName and get), e.g. env.SESSIONS',
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  return { namespace, now };
}
