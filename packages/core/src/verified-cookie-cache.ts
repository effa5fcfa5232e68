/** What a verified cookie value resolves to. */
export interface VerifiedCookie {
  readonly id: string;
  readonly storeKey: string;
  readonly secretIndex: number;
}

/**
 * A bounded LRU map from an exact cookie value that verified to its ID and store key.
 *
 * Why: an HMAC verify plus a SHA-256 digest cost about as much as the rest of a request on
 * Node 20, so repeating them for a cookie already verified would halve throughput. Only exact
 * strings that passed verification are ever inserted, so a forged value cannot hit; the cache
 * belongs to one manager, whose secrets never change, so rotation means a new manager and an
 * empty cache.
 */
export class VerifiedCookieCache {
  readonly #entries = new Map<string, VerifiedCookie>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(value: string): VerifiedCookie | undefined {
    const entry = this.#entries.get(value);
    if (entry !== undefined) {
      // Refresh recency: Map iterates in insertion order, so the first key is the least recent.
      this.#entries.delete(value);
      this.#entries.set(value, entry);
    }
    return entry;
  }

  set(value: string, entry: VerifiedCookie): void {
    if (this.#capacity === 0) return;
    this.#entries.delete(value);
    this.#entries.set(value, entry);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  delete(value: string): void {
    this.#entries.delete(value);
  }

  get size(): number {
    return this.#entries.size;
  }
}
