import { SessionConfigError } from '@fetch-session/core/errors';
import type { MemjsClient } from './binary-protocol.js';

/** Options of {@link memcachedStore}. */
export interface MemcachedStoreOptions {
  /**
   * A `memjs` client, created and owned by you: `memjs.Client.create('127.0.0.1:11211')`.
   * The store sends its requests through the client's connections, server selection and
   * failover.
   */
  readonly client: unknown;
  /**
   * How many times an update re-reads and retries when another process changed the same
   * session between its read and its compare-and-set. Past that, the commit fails with a
   * `SessionStoreError` (503). Updates from one process never contend: they are queued per
   * session.
   * @default 16
   */
  readonly maxCasRetries?: number;
  /**
   * The clock for expiry (epoch ms). memcached's own expiry is set one second past the
   * record's, as garbage collection; the store refuses a record past its stored expiry.
   * @default Date.now
   */
  readonly now?: () => number;
}

export interface ResolvedMemcachedOptions {
  readonly client: MemjsClient;
  readonly maxCasRetries: number;
  readonly now: () => number;
}

export function resolveMemcachedOptions(options: MemcachedStoreOptions): ResolvedMemcachedOptions {
  const client = (options as { client?: unknown } | undefined)?.client as
    | Partial<MemjsClient>
    | undefined;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.perform !== 'function' ||
    typeof client.incrSeq !== 'function' ||
    typeof client.seq !== 'number'
  ) {
    throw new SessionConfigError(
      'client',
      "must be a memjs client: memcachedStore({ client: memjs.Client.create('127.0.0.1:11211') })",
    );
  }
  const maxCasRetries = options.maxCasRetries ?? 16;
  if (!Number.isInteger(maxCasRetries) || maxCasRetries < 1) {
    throw new SessionConfigError('maxCasRetries', 'must be a whole number of at least 1');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SessionConfigError('now', 'must be a function returning epoch milliseconds');
  }
  return { client: client as MemjsClient, maxCasRetries, now: options.now ?? Date.now };
}
