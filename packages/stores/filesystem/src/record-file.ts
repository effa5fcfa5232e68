import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { SessionMeta } from '@fetch-session/core';
import { metaObject, parseFields, parseMeta, StoredDataError } from '@fetch-session/core/store-kit';

/** What one session file holds. */
export interface StoredSession {
  /** The store key (a hash of the session ID, never the ID itself), for the per-user list. */
  readonly key: string;
  readonly meta: SessionMeta;
  readonly fields: Readonly<Record<string, string>>;
  /** When the file may be swept (epoch ms), or `Infinity`. */
  readonly expiresAt: number;
}

const VERSION = 1;

export function encodeSession(session: StoredSession): string {
  return JSON.stringify({
    v: VERSION,
    key: session.key,
    // JSON has no Infinity: null, read back as Infinity.
    expiresAt: Number.isFinite(session.expiresAt) ? session.expiresAt : null,
    meta: metaObject(session.meta),
    fields: session.fields,
  });
}

/** Parses a session file; throws {@link StoredDataError} (never quoting the content: S24). */
export function decodeSession(text: string): StoredSession {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoredDataError('a session file is not valid JSON');
  }
  if (typeof value !== 'object' || value === null) {
    throw new StoredDataError('a session file is not an object');
  }
  const { v, key, expiresAt, meta, fields } = value as Record<string, unknown>;
  if (v !== VERSION || typeof key !== 'string') {
    throw new StoredDataError('a session file has an unknown format');
  }
  const expiry = expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt;
  if (typeof expiry !== 'number' || Number.isNaN(expiry)) {
    throw new StoredDataError('a session file has an invalid expiry');
  }
  return { key, meta: parseMeta(meta), fields: parseFields(fields), expiresAt: expiry };
}

/** The file's text, or `undefined` when it does not exist. Other errors are thrown. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Writes `text` to `temp`, flushes it to disk, then renames it over `path`: a reader sees the
 * old file or the new one, never half of one, and a crash leaves at worst a temp file that
 * `sweep()` removes.
 */
export async function writeAtomically(path: string, temp: string, text: string): Promise<void> {
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** Removes a file; `false` when it was not there. */
export async function removeIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}
