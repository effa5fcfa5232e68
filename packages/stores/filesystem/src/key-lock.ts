import { open, rm, stat } from 'node:fs/promises';
import { KeyedQueue } from '@fetch-session/core/store-kit';
import { isNotFound } from './record-file.js';

/** How long to wait for another process's lock, and when a lock counts as abandoned. */
export interface LockTiming {
  /** Give up (a store error, 503) after this many ms of waiting. */
  readonly timeoutMs: number;
  /** A lock file older than this belongs to a process that died holding it. */
  readonly staleMs: number;
}

/** Raised when a session stays locked by another process for longer than the timeout. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
  readonly code = 'ELOCKTIMEOUT';
}

/**
 * Serialises changes to one session: within the process through a promise chain per key (no
 * file-system polling), across processes on one host through a lock file created with
 * `O_EXCL` (`wx`), which exactly one process can create. Locks older than `staleMs` are taken
 * over, so a crashed process cannot block a session forever.
 */
export class KeyLocks {
  readonly #queue = new KeyedQueue();
  readonly #timing: LockTiming;

  constructor(timing: LockTiming) {
    this.#timing = timing;
  }

  /** Runs `work` while holding the lock of `hash` (its file at `path`). */
  run<T>(hash: string, path: string, work: () => Promise<T>): Promise<T> {
    return this.#queue.run(hash, () => this.#withFileLock(path, work));
  }

  async #withFileLock<T>(path: string, work: () => Promise<T>): Promise<T> {
    await this.#acquire(path);
    try {
      return await work();
    } finally {
      await rm(path, { force: true });
    }
  }

  async #acquire(path: string): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.close();
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
      if (await this.#isStale(path)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() - started > this.#timing.timeoutMs) {
        throw new LockTimeoutError('a session stayed locked by another process');
      }
      // Short, growing, jittered waits: contention is between a few processes on one host.
      const wait = Math.min(50, 1 + attempt) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async #isStale(path: string): Promise<boolean> {
    try {
      const { mtimeMs } = await stat(path);
      return Date.now() - mtimeMs > this.#timing.staleMs;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
