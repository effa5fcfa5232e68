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
  /** Writes a value; `expiration` is in seconds since the epoch, `expirationTtl` in seconds. */
  put(key: string, value: string, options?: KvPutOptions): Promise<void>;
  /** Deletes a key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Expiry of a KV write: an absolute time or a time to live, both in seconds. */
export interface KvPutOptions {
  readonly expiration?: number;
  readonly expirationTtl?: number;
}
