import { SessionConfigError } from '@fetch-session/core/errors';

/** Options of {@link startSweeper}. */
export interface SweeperOptions {
  /** Time between sweeps, in milliseconds. @default 900_000 (15 minutes) */
  readonly intervalMs?: number;
  /**
   * Called with a sweep's `SessionStoreError` (redacted); the next sweep runs anyway.
   * @default console.error
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * Runs `store.sweepExpired()` every `intervalMs` on a long-running server (Node, Bun, Deno),
 * one sweep at a time; the timer does not keep the process alive. On Workers or serverless
 * hosts, call `store.sweepExpired()` from a cron trigger instead.
 *
 * @example
 * ```ts
 * const sweeper = startSweeper(store, { intervalMs: 10 * 60_000 });
 * process.on('SIGTERM', () => sweeper.stop());
 * ```
 */
export function startSweeper(
  store: { sweepExpired(): Promise<number> },
  options: SweeperOptions = {},
): { stop(): void } {
  const { intervalMs = 900_000, onError = console.error } = options;
  if (!Number.isFinite(intervalMs) || intervalMs < 1_000) {
    throw new SessionConfigError('intervalMs', 'must be a number of milliseconds, at least 1000');
  }
  if (typeof onError !== 'function') throw new SessionConfigError('onError', 'must be a function');
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    store
      .sweepExpired()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return { stop: () => clearInterval(timer) };
}
