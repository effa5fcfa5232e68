import { SessionConfigError } from '@fetch-session/core/errors';
import type { KvNamespaceLike } from './kv-namespace.js';

/**
 * Options of {@link cloudflareKvStore}. Durations are in seconds, like KV's own options and the
 * session manager's.
 */
export interface CloudflareKvStoreOptions {
  /**
   * The KV namespace binding, e.g. `env.SESSIONS` (`kv_namespaces` in your Wrangler
   * configuration). Any object with KV's `get`, `put` and `delete` fits; `list` as well is
   * needed for per-user sessions.
   */
  namespace: KvNamespaceLike;
  /**
   * How long a read may be served from the Cloudflare location's cache, in seconds (KV's
   * `cacheTtl`). Lower means fresher reads after a write or delete made elsewhere, and more
   * reads that go to KV's central stores. KV's minimum, as per Cloudflare's documentation, is
   * 30 seconds; its default is 60.
   * @default 30
   */
  cacheTtl?: number;
  /**
   * Least time between two writes of one key from this isolate, in seconds. KV allows one
   * write per second to a key, as per Cloudflare's documentation (more is refused with
   * `429 Too Many Requests`), so calls arriving meanwhile wait and are merged into a single
   * write. A number below 1 invites 429s, which are then retried (see `maxRetries`).
   * @default 1
   */
  writeInterval?: number;
  /**
   * How many times a write refused with `429 Too Many Requests` (another isolate wrote the same
   * key within the second) is retried, waiting `writeInterval` (at least 0.1 s), then twice
   * that, and so on. When the retries are spent, the call fails with a `SessionStoreError`:
   * a write is never dropped silently.
   * @default 2
   */
  maxRetries?: number;
  /**
   * How long this isolate remembers a destroyed session, in seconds, and refuses it even if KV
   * still serves its old value (KV is eventually consistent: a deleted value can be read for up
   * to 60 seconds, as per Cloudflare's documentation). Only this isolate knows: see the README's
   * consistency section.
   * @default 60
   */
  tombstoneTtl?: number;
  /**
   * Most destroyed sessions remembered at once by this isolate; past it, the oldest is
   * forgotten first. `0` turns tombstones off.
   * @default 10000
   */
  maxTombstones?: number;
  /**
   * The start of the per-user index's KV keys: `<userIndexPrefix><SHA-256 of the user ID>:<store
   * key>`, one per session bound with `session.bindUser()`. Choose one that no other key in the
   * namespace starts with; stores sharing a namespace and a prefix share the index. At most
   * 128 bytes in UTF-8.
   * @default 'user-sessions:'
   */
  userIndexPrefix?: string;
  /**
   * The wall clock in epoch milliseconds. KV expiry is counted on Cloudflare's clock, so only
   * tests should change it.
   * @default Date.now
   */
  now?: () => number;
}

/** Options after validation, with defaults applied. Durations in milliseconds. */
export interface ResolvedKvStoreOptions {
  readonly namespace: KvNamespaceLike;
  readonly cacheTtl: number;
  readonly writeInterval: number;
  readonly maxRetries: number;
  readonly tombstoneTtl: number;
  readonly maxTombstones: number;
  readonly userIndexPrefix: string;
  readonly now: () => number;
}

/** KV's shortest `cacheTtl`, in seconds, as per Cloudflare's documentation. */
export const MIN_CACHE_TTL_SECONDS = 30;

/** Validates options; every problem throws a `SessionConfigError` naming the option. */
export function resolveKvStoreOptions(options: CloudflareKvStoreOptions): ResolvedKvStoreOptions {
  if (options === null || typeof options !== 'object') {
    throw new SessionConfigError('options', 'must be an object');
  }
  const { namespace } = options;
  if (
    namespace === null ||
    typeof namespace !== 'object' ||
    typeof namespace.get !== 'function' ||
    typeof namespace.put !== 'function' ||
    typeof namespace.delete !== 'function' ||
    (namespace.list !== undefined && typeof namespace.list !== 'function')
  ) {
    throw new SessionConfigError(
      'namespace',
      'must be a KV namespace binding (an object with get, put, delete and list), e.g. env.SESSIONS',
    );
  }
  const cacheTtl = options.cacheTtl ?? MIN_CACHE_TTL_SECONDS;
  if (!Number.isSafeInteger(cacheTtl) || cacheTtl < MIN_CACHE_TTL_SECONDS) {
    throw new SessionConfigError(
      'cacheTtl',
      `must be a whole number of seconds, at least ${MIN_CACHE_TTL_SECONDS} (KV's minimum)`,
    );
  }
  const writeInterval = seconds('writeInterval', options.writeInterval ?? 1, 60);
  const tombstoneTtl = seconds('tombstoneTtl', options.tombstoneTtl ?? 60, 86_400);
  const maxRetries = wholeNumber('maxRetries', options.maxRetries ?? 2, 10);
  const maxTombstones = wholeNumber('maxTombstones', options.maxTombstones ?? 10_000, 10_000_000);
  const userIndexPrefix = options.userIndexPrefix ?? 'user-sessions:';
  if (
    typeof userIndexPrefix !== 'string' ||
    userIndexPrefix === '' ||
    new TextEncoder().encode(userIndexPrefix).length > 128
  ) {
    throw new SessionConfigError('userIndexPrefix', 'must be a string of 1 to 128 bytes (UTF-8)');
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  return {
    namespace,
    cacheTtl,
    writeInterval: writeInterval * 1000,
    maxRetries,
    tombstoneTtl: tombstoneTtl * 1000,
    maxTombstones,
    userIndexPrefix,
    now,
  };
}

function seconds(option: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new SessionConfigError(option, `must be a number of seconds from 0 to ${max}`);
  }
  return value;
}

function wholeNumber(option: string, value: unknown, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > max) {
    throw new SessionConfigError(option, `must be a whole number from 0 to ${max}`);
  }
  return value as number;
}
