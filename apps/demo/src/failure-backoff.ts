/** How a {@link FailureBackoff} slows a key down. Durations in seconds. */
export interface BackoffPolicy {
  /** Failures allowed before the first wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseDelay: number;
  /** The longest wait (no permanent lockout: that would hand attackers a denial of service). */
  maxDelay: number;
  /** A key with no failure for this long starts over. */
  forgetAfter: number;
  /** Keys kept at most; past that the least recently failed is dropped, so memory stays bounded. */
  maxKeys: number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
  lastFailureAt: number;
}

/**
 * Counts failures per key (an account, a client address) in this process's memory and answers
 * how long a key must wait: nothing for the first `freeFailures`, then `baseDelay`, doubling up
 * to `maxDelay`. The clock is injected, so tests move time instead of waiting for it.
 */
export class FailureBackoff {
  readonly #entries = new Map<string, Entry>();
  readonly #policy: BackoffPolicy;
  readonly #now: () => number;

  constructor(policy: BackoffPolicy, now: () => number) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Whole seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const entry = this.#live(key);
    const wait = entry === undefined ? 0 : entry.blockedUntil - this.#now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  /** Counts one failure for `key`, and starts its wait once the free failures are used up. */
  fail(key: string): void {
    const now = this.#now();
    const entry = this.#live(key) ?? { failures: 0, blockedUntil: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    const { freeFailures, baseDelay, maxDelay } = this.#policy;
    if (entry.failures >= freeFailures) {
      const delay = Math.min(maxDelay, baseDelay * 2 ** (entry.failures - freeFailures));
      entry.blockedUntil = now + delay * 1000;
    }
    // Re-inserted, so the Map's order runs from least to most recently failed.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#policy.maxKeys) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Takes back one failure counted for an attempt that turned out fine. */
  forgive(key: string): void {
    const entry = this.#live(key);
    if (entry === undefined) return;
    entry.failures = Math.max(0, entry.failures - 1);
    if (entry.failures < this.#policy.freeFailures) entry.blockedUntil = 0;
  }

  /** Forgets every failure of `key`. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.#now();
    if (now >= entry.blockedUntil && now - entry.lastFailureAt >= this.#policy.forgetAfter * 1000) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
