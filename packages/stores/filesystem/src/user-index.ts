import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type StoreLayout, userDirectory } from './layout.js';
import { isNotFound } from './record-file.js';

/**
 * The per-user index: a folder per user holding one empty marker file per session. A marker is
 * added before its session is written and removed after the session is deleted, so a crash in
 * between leaves at worst a stale marker (cleaned when the list reads it), never a live session
 * missing from its user's list.
 */
export async function addMarker(layout: StoreLayout, userId: string, hash: string): Promise<void> {
  const folder = userDirectory(layout, userId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const handle = await open(join(folder, hash), 'a', 0o600);
  await handle.close();
}

export async function removeMarker(
  layout: StoreLayout,
  userId: string,
  hash: string,
): Promise<void> {
  await rm(join(userDirectory(layout, userId), hash), { force: true });
}

/** The session hashes in a user's index. */
export async function listMarkers(layout: StoreLayout, userId: string): Promise<string[]> {
  try {
    return (await readdir(userDirectory(layout, userId))).filter((name) =>
      /^[0-9a-f]{64}$/.test(name),
    );
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
