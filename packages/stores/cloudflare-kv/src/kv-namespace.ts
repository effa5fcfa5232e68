/**
 * The part of a Workers KV binding this store uses. A structural type, so the public
 * declarations need no `@cloudflare/workers-types`: an `env.SESSIONS` binding (`KVNamespace`)
 * satisfies it as it is.
 */
export interface KvNamespaceLike {
  /** Reads a value as text; `null` when the key does not exist. */
  get(
    key: string,
    options: { readonly type: 'text'; readonly cacheTtl?: number },
  ): Promise<string | null>;
  /**
   * Writes a value; `expiration` is in seconds since the epoch, `expirationTtl` in seconds,
   * `metadata` a small JSON-serializable object returned by `list()`.
   */
  put(key: string, value: string, options?: KvPutOptions): Promise<void>;
  /** Deletes a key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Lists keys by prefix, a page at a time, with their expiration and metadata. Needed for
   * per-user sessions (`listSessions`, `revokeSession`, `revokeAllSessions`): without it the
   * store keeps no per-user index. Every KV binding has it.
   */
  list?(options: KvListOptions): Promise<KvListResult>;
}

/** Expiry and metadata of a KV write: an absolute time or a time to live, both in seconds. */
export interface KvPutOptions {
  readonly expiration?: number;
  readonly expirationTtl?: number;
  /** Returned with the key by `list()`; at most 1024 bytes as JSON. */
  readonly metadata?: unknown;
}

/** Options of {@link KvNamespaceLike.list}. */
export interface KvListOptions {
  readonly prefix?: string;
  readonly cursor?: string;
}

/** One page of a KV listing. */
export interface KvListResult {
  readonly keys: ReadonlyArray<{
    readonly name: string;
    /** Seconds since the epoch, when the key has an expiry. */
    readonly expiration?: number;
    readonly metadata?: unknown;
  }>;
  /** `false` when more pages follow; fetch the next one with `cursor`. */
  readonly list_complete: boolean;
  readonly cursor?: string;
}
