import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { SessionConfigError } from '@fetch-session/core/errors';
import { type StoreLayout, storeLayout } from './layout.js';

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /**
   * The directory that holds the sessions (Flask-Session's `SESSION_FILE_DIR`). It must exist
   * and be writable; the store creates its `sessions/`, `locks/` and `users/` folders inside.
   * Give each app its own directory, on a local disk (see the README about network drives).
   */
  readonly directory: string;
  /**
   * Milliseconds to wait for a session locked by another process before the commit fails with
   * a `SessionStoreError` (503).
   * @default 5000
   */
  readonly lockTimeoutMs?: number;
  /**
   * A lock file older than this (ms) is taken to belong to a process that died holding it.
   * Must be well above the longest write.
   * @default 15000
   */
  readonly staleLockMs?: number;
  /**
   * The clock for expiry (epoch ms). Lock ages always use the real clock.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Called when a session file cannot be read as a session (truncated by hand, foreign,
   * corrupt). The session reads as absent; `sweep()` removes the file. The argument holds the
   * file name only (a hash), never its content.
   */
  readonly onCorruptFile?: (event: { readonly file: string }) => void;
}

export interface ResolvedFileStoreOptions {
  readonly layout: StoreLayout;
  readonly lockTimeoutMs: number;
  readonly staleLockMs: number;
  readonly now: () => number;
  readonly onCorruptFile: (event: { readonly file: string }) => void;
}

/** Checks the options and the directory; throws a `SessionConfigError` naming the problem. */
export function resolveFileStoreOptions(options: FileStoreOptions): ResolvedFileStoreOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'options',
      'fileStore() needs an options object, e.g. fileStore({ directory: "./sessions" })',
    );
  }
  const directory = checkDirectory(options.directory);
  const lockTimeoutMs = positive('lockTimeoutMs', options.lockTimeoutMs ?? 5000);
  const staleLockMs = positive('staleLockMs', options.staleLockMs ?? 15_000);
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new SessionConfigError('now', 'must be a function returning epoch milliseconds');
  }
  const layout = storeLayout(directory);
  for (const folder of [layout.sessions, layout.locks, layout.users]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  return {
    layout,
    lockTimeoutMs,
    staleLockMs,
    now: options.now ?? Date.now,
    onCorruptFile: options.onCorruptFile ?? (() => {}),
  };
}

function checkDirectory(directory: unknown): string {
  if (typeof directory !== 'string' || directory === '') {
    throw new SessionConfigError(
      'directory',
      'must be the path of an existing, writable directory, e.g. fileStore({ directory: "./sessions" })',
    );
  }
  const path = isAbsolute(directory) ? directory : resolve(directory);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new SessionConfigError(
      'directory',
      `"${path}" does not exist: create it first (mkdir -p), or point the store at another directory`,
    );
  }
  if (!isDirectory) {
    throw new SessionConfigError('directory', `"${path}" is not a directory`);
  }
  try {
    accessSync(path, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    throw new SessionConfigError(
      'directory',
      `"${path}" is not writable by this process: fix its permissions or choose another directory`,
    );
  }
  return path;
}

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SessionConfigError(name, 'must be a positive number of milliseconds');
  }
  return value;
}
