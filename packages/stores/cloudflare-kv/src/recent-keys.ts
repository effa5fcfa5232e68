/**
 * Keys marked within the last `ttl` ms, at most `max` of them: this isolate's memory of
 * destroyed sessions (tombstones) and of recent writes (for KV's one write per second per key).
 *
 * Every entry lives equally long, so insertion order is expiry order: expired entries are
 * dropped from the head as new ones arrive, and past `max` the oldest goes first. O(1)
 * amortized per call, no timers.
 */
export class RecentKeys {
  readonly #entries = new Map<string, number>();
  readonly #ttl: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(ttl: number, max: number, now: () => number) {
    this.#ttl = ttl;
    this.#max = max;
    this.#now = now;
  }

  /** Marks `key` now (moving it to the back if it was marked before). */
  mark(key: string): void {
    if (this.#max === 0) return;
    const now = this.#now();
    this.#entries.delete(key);
    this.#entries.set(key, now);
    for (const [oldest, at] of this.#entries) {
      if (this.#entries.size <= this.#max && at + this.#ttl > now) break;
      this.#entries.delete(oldest);
    }
  }

  /** When `key` was marked, if that was less than `ttl` ms ago. */
  markedAt(key: string): number | undefined {
    const at = this.#entries.get(key);
    if (at === undefined) return undefined;
    if (at + this.#ttl <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return at;
  }

  /** Whether `key` was marked less than `ttl` ms ago. */
  has(key: string): boolean {
    return this.markedAt(key) !== undefined;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** How many keys are held (expired ones included until pruned). */
  get size(): number {
    return this.#entries.size;
  }
}
