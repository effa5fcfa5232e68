import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import { checkExpiresAt, StoredDataError } from '@fetch-session/core/store-kit';
import { KeyLocks } from './key-lock.js';
import {
  hashOfRecordFile,
  isTempFile,
  lockPath,
  recordPath,
  sessionHash,
  tempPath,
} from './layout.js';
import { type FileStoreOptions, resolveFileStoreOptions } from './options.js';
import {
  decodeSession,
  encodeSession,
  readIfExists,
  removeIfExists,
  type StoredSession,
  writeAtomically,
} from './record-file.js';
import { addMarker, listMarkers, removeMarker } from './user-index.js';

/** A filesystem store: the {@link SessionStore} methods plus {@link FileSessionStore.sweep}. */
export interface FileSessionStore extends SessionStore {
  readonly name: 'filesystem';
  /**
   * Removes expired and unreadable session files, temp files left by a crash (older than a
   * minute) and index markers whose session is gone. Run it on a schedule; it is safe while
   * the app serves requests.
   *
   * @example
   * ```ts
   * setInterval(() => void store.sweep(), 10 * 60_000).unref();
   * ```
   */
  sweep(): Promise<SweepResult>;
}

/** What one {@link FileSessionStore.sweep} removed. */
export interface SweepResult {
  readonly sessions: number;
  readonly tempFiles: number;
  readonly markers: number;
}

const TEMP_FILE_GRACE_MS = 60_000;

/**
 * Creates a session store that keeps one JSON file per session under `directory`, for a single
 * server that should keep its sessions across restarts without running a service (Node, Bun
 * and Deno).
 *
 * Writes are atomic (temp file, fsync, rename). Concurrent commits to one session are applied
 * one after another, each patch on top of the last, within a process and across processes on
 * the same host (lock files created with `O_EXCL`), so no update is lost.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { fileStore } from '@fetch-session/filesystem';
 *
 * const sessions = createSessionManager({
 *   store: fileStore({ directory: './sessions' }),
 *   secrets: [process.env.SESSION_SECRET],
 * });
 * ```
 */
export function fileStore(options: FileStoreOptions): FileSessionStore {
  const { layout, now, onCorruptFile, lockTimeoutMs, staleLockMs } =
    resolveFileStoreOptions(options);
  const locks = new KeyLocks({ timeoutMs: lockTimeoutMs, staleMs: staleLockMs });
  const locked = <T>(hash: string, work: () => Promise<T>): Promise<T> =>
    locks.run(hash, lockPath(layout, hash), work);

  /** The live session in a file, or `undefined` (missing, expired, unreadable). */
  const read = async (hash: string): Promise<StoredSession | undefined> => {
    const text = await readIfExists(recordPath(layout, hash));
    if (text === undefined) return undefined;
    let session: StoredSession;
    try {
      session = decodeSession(text);
    } catch (error) {
      if (!(error instanceof StoredDataError)) throw error;
      onCorruptFile({ file: `${hash}.json` });
      return undefined;
    }
    return session.expiresAt > now() ? session : undefined;
  };

  const write = async (
    key: string,
    meta: SessionMeta,
    change: (current: StoredSession | undefined) => Record<string, string> | undefined,
    expiresAt: number,
  ): Promise<SessionWriteOutcome> => {
    const hash = sessionHash(key);
    return locked(hash, async () => {
      const current = await read(hash);
      const fields = change(current);
      if (fields === undefined) return 'conflict';
      // Index first, session second: a crash in between leaves a stale marker, never a live
      // session its user cannot list or revoke.
      if (meta.userId !== undefined) await addMarker(layout, meta.userId, hash);
      const next: StoredSession = { key, meta, fields, expiresAt };
      await writeAtomically(recordPath(layout, hash), tempPath(layout, hash), encodeSession(next));
      const previousUser = current?.meta.userId;
      if (previousUser !== undefined && previousUser !== meta.userId) {
        await removeMarker(layout, previousUser, hash);
      }
      return 'ok';
    });
  };

  return {
    name: 'filesystem',

    async load(key): Promise<SessionRecord | undefined> {
      const session = await read(sessionHash(key));
      return session && { meta: session.meta, fields: { ...session.fields } };
    },

    write(key, patch: SessionPatch, { mode, expiresAt }: SessionWriteOptions) {
      checkExpiresAt(expiresAt);
      return write(
        key,
        patch.meta,
        (current) => {
          if (mode === 'create' ? current !== undefined : current === undefined) return undefined;
          const fields: Record<string, string> = { ...current?.fields };
          for (const [field, value] of Object.entries(patch.set)) fields[field] = value;
          for (const field of patch.delete) delete fields[field];
          return fields;
        },
        expiresAt,
      );
    },

    touch(key, meta, { expiresAt }) {
      checkExpiresAt(expiresAt);
      return write(key, meta, (current) => current && { ...current.fields }, expiresAt);
    },

    delete(key): Promise<boolean> {
      const hash = sessionHash(key);
      return locked(hash, async () => {
        const text = await readIfExists(recordPath(layout, hash));
        let userId: string | undefined;
        let live = false;
        if (text !== undefined) {
          try {
            const session = decodeSession(text);
            userId = session.meta.userId;
            live = session.expiresAt > now();
          } catch (error) {
            if (!(error instanceof StoredDataError)) throw error;
          }
        }
        const removed = await removeIfExists(recordPath(layout, hash));
        if (userId !== undefined) await removeMarker(layout, userId, hash);
        return removed && live;
      });
    },

    async listUserSessions(userId): Promise<UserSessionEntry[]> {
      const entries: UserSessionEntry[] = [];
      for (const hash of await listMarkers(layout, userId)) {
        const session = await read(hash);
        if (session !== undefined && session.meta.userId === userId) {
          entries.push({ key: session.key, meta: session.meta });
          continue;
        }
        // Stale: re-check under the session's lock, since a writer adds the marker before the
        // session file exists.
        await locked(hash, async () => {
          const again = await read(hash);
          if (again?.meta.userId !== userId) await removeMarker(layout, userId, hash);
        });
      }
      return entries;
    },

    async sweep(): Promise<SweepResult> {
      let sessions = 0;
      let tempFiles = 0;
      for (const name of await readdir(layout.sessions)) {
        const hash = hashOfRecordFile(name);
        if (hash !== undefined) {
          const removed = await locked(hash, async () => {
            if ((await read(hash)) !== undefined) return false;
            return removeIfExists(recordPath(layout, hash));
          });
          if (removed) sessions++;
        } else if (isTempFile(name)) {
          const path = join(layout.sessions, name);
          const age = await stat(path).then(
            (info) => Date.now() - info.mtimeMs,
            () => 0,
          );
          if (age > TEMP_FILE_GRACE_MS && (await removeIfExists(path))) tempFiles++;
        }
      }
      let markers = 0;
      for (const userFolder of await readdir(layout.users)) {
        for (const hash of await readdir(join(layout.users, userFolder)).catch(() => [])) {
          const text = await readIfExists(recordPath(layout, hash));
          if (text === undefined) {
            const removed = await locked(hash, async () => {
              if ((await readIfExists(recordPath(layout, hash))) !== undefined) return false;
              return removeIfExists(join(layout.users, userFolder, hash));
            });
            if (removed) markers++;
          }
        }
      }
      return { sessions, tempFiles, markers };
    },
  };
}
