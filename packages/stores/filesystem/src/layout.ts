import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * Where everything lives under the store's directory. Every name is a SHA-256 hex digest of a
 * store key or a user ID, so no path is ever built from anything a client or an app chose.
 *
 * ```
 * <directory>/sessions/<hash>.json               one record per session
 * <directory>/sessions/<hash>.json.<rand>.tmp    a write in progress (renamed over the record)
 * <directory>/locks/<hash>.lock                  held while a process changes that session
 * <directory>/users/<user hash>/<hash>           the per-user index: one empty marker a session
 * ```
 */
export interface StoreLayout {
  readonly sessions: string;
  readonly locks: string;
  readonly users: string;
}

export const TEMP_SUFFIX = '.tmp';
const RECORD_SUFFIX = '.json';

export function storeLayout(directory: string): StoreLayout {
  return {
    sessions: join(directory, 'sessions'),
    locks: join(directory, 'locks'),
    users: join(directory, 'users'),
  };
}

/** The file name stem of a session: a hash of its store key. */
export function sessionHash(key: string): string {
  return createHash('sha256').update(`session\0${key}`).digest('hex');
}

/** The folder name of a user's index: a hash of the user ID. */
export function userHash(userId: string): string {
  return createHash('sha256').update(`user\0${userId}`).digest('hex');
}

export function recordPath(layout: StoreLayout, hash: string): string {
  return join(layout.sessions, `${hash}${RECORD_SUFFIX}`);
}

/** A fresh temp file beside the record, so the final rename stays on one filesystem. */
export function tempPath(layout: StoreLayout, hash: string): string {
  return join(
    layout.sessions,
    `${hash}${RECORD_SUFFIX}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
}

export function lockPath(layout: StoreLayout, hash: string): string {
  return join(layout.locks, `${hash}.lock`);
}

export function userDirectory(layout: StoreLayout, userId: string): string {
  return join(layout.users, userHash(userId));
}

/** The session hash of a record file name, or `undefined` for anything else. */
export function hashOfRecordFile(name: string): string | undefined {
  return /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
}

/** Whether a file name is one of this store's temp files. */
export function isTempFile(name: string): boolean {
  return /^[0-9a-f]{64}\.json\.[0-9a-f]{12}\.tmp$/.test(name);
}
