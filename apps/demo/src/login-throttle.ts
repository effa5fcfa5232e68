import { type BackoffPolicy, FailureBackoff } from './failure-backoff.js';

/** Who is trying to log in: the account named in the form, and the client's address. */
export interface LoginAttemptKeys {
  /** The email as submitted; known or not, it is throttled alike (no account enumeration). */
  account: string;
  /** The peer address the runtime reports, `undefined` when it reports none. */
  client: string | undefined;
}

/** The throttle's answer before the password is checked. */
export type LoginAttempt =
  | { allowed: false; retryAfterSeconds: number }
  | {
      allowed: true;
      /** Call when the password was right: it clears the account and takes back the client's count. */
      succeeded(): void;
    };

/** Options of {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  /** Per account. @default 5 free failures, then 30 s doubling up to 15 min, forgotten after 1 h */
  account?: Partial<BackoffPolicy>;
  /** Per client address, across accounts (password spraying). @default 20 free failures, else as `account` */
  client?: Partial<BackoffPolicy>;
  /** Clock in epoch milliseconds; inject one in tests. @default Date.now */
  now?: () => number;
}

/** Checks login attempts against per-account and per-client backoff. */
export interface LoginThrottle {
  /**
   * Call before checking the password. An allowed attempt is counted as a failure right away,
   * so a burst of concurrent guesses cannot all pass before the first one fails.
   */
  begin(keys: LoginAttemptKeys): LoginAttempt;
}

const defaults: BackoffPolicy = {
  freeFailures: 5,
  baseDelay: 30,
  maxDelay: 15 * 60,
  forgetAfter: 60 * 60,
  maxKeys: 10_000,
};

/**
 * Exponential backoff for password guessing, per account and per client. State lives in this
 * process's (or Worker isolate's) memory: right for the demo's single process; an app with
 * several instances keeps it in a shared store instead (Redis, a Durable Object, or the
 * platform's rate limiter), or each instance grants its own budget. Clients are keyed by their
 * exact address; a real deployment would group IPv6 clients by /64, which one host can span.
 *
 * @example
 * ```ts
 * const throttle = createLoginThrottle();
 * const attempt = throttle.begin({ account: email, client: address });
 * if (!attempt.allowed) return tooManyAttempts(attempt.retryAfterSeconds);
 * const user = await authenticate(email, password);
 * if (user !== undefined) attempt.succeeded();
 * ```
 */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const now = options.now ?? Date.now;
  const accounts = new FailureBackoff({ ...defaults, ...options.account }, now);
  const clients = new FailureBackoff({ ...defaults, freeFailures: 20, ...options.client }, now);
  return {
    begin({ account, client }) {
      // Bounded and normalised, so `A@x` and ` a@x` share one budget and keys stay small.
      const accountKey = account.trim().toLowerCase().slice(0, 320);
      const clientKey = client ?? 'unknown';
      const wait = Math.max(accounts.retryAfter(accountKey), clients.retryAfter(clientKey));
      if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
      accounts.fail(accountKey);
      clients.fail(clientKey);
      return {
        allowed: true,
        succeeded() {
          accounts.reset(accountKey);
          clients.forgive(clientKey);
        },
      };
    },
  };
}
