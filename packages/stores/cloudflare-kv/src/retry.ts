/**
 * Whether KV refused a write for exceeding one write per second per key. The Workers binding
 * throws a plain `Error` whose message carries the HTTP status, e.g.
 * `KV PUT failed: 429 Too Many Requests`.
 */
export function isRateLimited(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\b429\b/.test(message) || /too many requests/i.test(message);
}

/** How {@link retryRateLimited} waits and how often it tries. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** The first wait in ms; each further wait doubles, plus up to 10% jitter. */
  readonly baseDelay: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * Runs a KV write, retrying only a 429 (rate limited) with exponential backoff, a bounded
 * number of times. Any other error, or the last 429, is thrown to the caller: a write is never
 * dropped silently.
 */
export async function retryRateLimited<T>(call: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxRetries || !isRateLimited(error)) throw error;
      const delay = policy.baseDelay * 2 ** attempt;
      await policy.sleep(delay + delay * 0.1 * policy.random());
    }
  }
}
