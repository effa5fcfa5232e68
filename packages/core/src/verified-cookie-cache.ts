/** What a verified cookie value resolves to. */
export interface VerifiedCookie {
  readonly id: string;
  readonly storeKey: string;
  readonly secretIndex: number;
}

/** How many verified cookie values a cache holds when not told otherwise. */
export const DEFAULT_VERIFIED_COOKIE_CACHE_SIZE = 10_000;

/**
 * A bounded, approximately LRU map from an exact cookie value that verified to its ID and
 * store key.
 *
 * Why: an HMAC verify plus a SHA-256 digest cost about as much as the rest of a request on
 * Node 20, so repeating them for a cookie already verified would halve throughput. Only exact
 * strings that passed verification are ever inserted, so a forged value cannot hit; the cache
 * belongs to one manager, whose secrets never change, so rotation means a new manager and an
 * empty cache.
 *
 * Why two generations (issue 17.3): evicting the oldest entry of one `Map` with
 * `keys().next()` makes V8 step over every slot deleted since the map's last rehash, and
 * refreshing recency by delete + re-insert costs the same walk later (8-13 µs per insert at
 * 10,000 entries, 149-352 µs at a million). Here new values go into a young map; when it holds
 * half the capacity it becomes the old map and the previous old map is dropped whole. A hit
 * in the old map moves the entry to the young one. Every operation is O(1) at any size, and
 * a value used within the last half-capacity insertions is never evicted, as before.
 */
export class VerifiedCookieCache {
  #young = new Map<string, VerifiedCookie>();
  #old = new Map<string, VerifiedCookie>();
  readonly #capacity: number;
  readonly #half: number;

  /** @param capacity most values held at once; `0` holds none. @default 10000 */
  constructor(capacity: number = DEFAULT_VERIFIED_COOKIE_CACHE_SIZE) {
    this.#capacity = capacity;
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  get(value: string): VerifiedCookie | undefined {
    const young = this.#young.get(value);
    if (young !== undefined) return young;
    const old = this.#old.get(value);
    if (old === undefined) return undefined;
    this.#old.delete(value);
    this.#insertYoung(value, old);
    return old;
  }

  set(value: string, entry: VerifiedCookie): void {
    if (this.#capacity === 0) return;
    this.#old.delete(value);
    if (this.#young.has(value)) this.#young.set(value, entry);
    else this.#insertYoung(value, entry);
  }

  delete(value: string): void {
    this.#young.delete(value);
    this.#old.delete(value);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #insertYoung(value: string, entry: VerifiedCookie): void {
    if (this.#young.size >= this.#half) {
      // A capacity of 1 has no room for an old generation beside the young one.
      this.#old = this.#capacity < 2 ? new Map() : this.#young;
      this.#young = new Map();
    }
    this.#young.set(value, entry);
  }
}
