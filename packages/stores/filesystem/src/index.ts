/**
 * A filesystem session store for `@fetch-session/core`: one file per session, named by a hash
 * of its store key, written atomically, locked per session across processes, with a per-user
 * index. For one Node, Bun or Deno server whose sessions should survive a restart with no
 * service to run.
 * @module
 */
export { type FileSessionStore, fileStore, type SweepResult } from './file-store.js';
export type { FileStoreOptions } from './options.js';
