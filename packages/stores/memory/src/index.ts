/**
 * The in-memory session store: for development, tests and a single process. Sessions end
 * when the process does and are not shared between processes, workers or isolates.
 * @module
 */
import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { checkExpiresAt, isExpired, parseMeta } from '@fetch-session/core/store-kit';
import { EvictionQueue } from './eviction-queue.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * Most sessions kept at once. Past it, a session is evicted: an anonymous one (no
   * `meta.userId`) before any bound to a user, each kind oldest-used first, so a flood of
   * new visitors cannot exhaust memory or sign anyone out.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Most bytes of session data kept at once, counted as two bytes per character of every
   * store key, field name, field value and metadata string (JavaScript strings are UTF-16);
   * object overhead is not counted, `maxEntries` bounds that. Past it, sessions are evicted
   * as for `maxEntries`; a single record larger than this is refused (the write throws a
   * `RangeError`, which the session manager reports as a store failure). `Infinity` bounds by
   * entries only.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number;
  /** Clock in epoch milliseconds, for expiry; share the session manager's in tests. @default Date.now */
  now?: () => number;
}

/** A {@link SessionStore} held in a `Map`, with inspection helpers for tests. */
export interface MemoryStore extends SessionStore {
  /** How many records are held (expired ones included until touched or evicted). */
  readonly size: number;
  /** Bytes held, as counted for `maxBytes`. */
  readonly bytes: number;
}

interface Entry {
  record: SessionRecord;
  expiresAt: number;
  bytes: number;
  /** Bound to a user (`meta.userId`): evicted only when no anonymous session is left. */
  bound: boolean;
  /** The tick of the entry's live slot in its eviction queue; older slots are stale. */
  stamp: number;
}

/**
 * Creates an in-memory store, for development, tests and a single process. Every operation
 * is O(1) at any size, plus the size of the record; expiry is lazy (checked on access), so
 * no timer keeps the process alive. Nothing persists across restarts and nothing is shared
 * between processes, workers or isolates: not for a production cluster.
 *
 * Patches apply synchronously inside `write`, so concurrent requests that change different
 * keys of one session both survive, and a write never resurrects a deleted session. Keeps a
 * per-user index for `listSessions` / `revokeAllSessions`.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { memoryStore } from '@fetch-session/memory';
 *
 * const sessions = createSessionManager({ store: memoryStore({ maxEntries: 50_000 }), secrets });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new SessionConfigError('maxEntries', 'must be a whole number, 1 or more');
  }
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!(Number.isSafeInteger(maxBytes) || maxBytes === Number.POSITIVE_INFINITY) || maxBytes < 1) {
    throw new SessionConfigError(
      'maxBytes',
      'must be a whole number of bytes, 1 or more, or Infinity',
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');

  const entries = new Map<string, Entry>();
  // Recency lives in two FIFO queues of (key, stamp) slots, not in the map's order: a used
  // entry gets a fresh slot at the tail once it has aged by half the bound (approximate LRU,
  // at most one extra slot per entry and half-bound), and eviction takes the head.
  const anonymous = new EvictionQueue();
  const bound = new EvictionQueue();
  // The per-user index: user ID -> store keys of that user's sessions.
  const byUser = new Map<string, Set<string>>();
  let tick = 0;
  let totalBytes = 0;

  const isCurrent = (key: string, stamp: number): boolean => entries.get(key)?.stamp === stamp;

  function indexUser(key: string, previous: string | undefined, next: string | undefined): void {
    if (previous === next) return;
    if (previous !== undefined) {
      const keys = byUser.get(previous);
      keys?.delete(key);
      if (keys?.size === 0) byUser.delete(previous);
    }
    if (next !== undefined) {
      const keys = byUser.get(next) ?? new Set<string>();
      keys.add(key);
      byUser.set(next, keys);
    }
  }

  function enqueue(key: string, entry: Entry): void {
    entry.stamp = ++tick;
    const queue = entry.bound ? bound : anonymous;
    queue.push(key, entry.stamp);
    // Deletes and re-queues leave stale slots; without evictions nothing else removes them.
    if (queue.length > 2 * entries.size + 1024) queue.compact(isCurrent);
  }

  function drop(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    totalBytes -= entry.bytes;
    indexUser(key, entry.record.meta.userId, undefined);
  }

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (isExpired(entry.expiresAt, now())) {
      drop(key);
      return undefined;
    }
    return entry;
  }

  function refresh(key: string, entry: Entry): void {
    if (tick - entry.stamp > maxEntries / 2) enqueue(key, entry);
  }

  /** The oldest live key in `queue` other than `keep` (just written, so just used). */
  function oldest(queue: EvictionQueue, keep: string): string | undefined {
    for (;;) {
      const key = queue.peekKey();
      if (key === undefined) return undefined;
      if (!isCurrent(key, queue.peekStamp())) {
        queue.shift();
        continue;
      }
      if (key !== keep) return key;
      if (queue.length === 1) return undefined;
      queue.shift();
      enqueue(key, entries.get(key) as Entry);
    }
  }

  function evictBeyondBounds(keep: string): void {
    while (entries.size > maxEntries || totalBytes > maxBytes) {
      const victim = oldest(anonymous, keep) ?? oldest(bound, keep);
      if (victim === undefined) return;
      drop(victim);
    }
  }

  function put(
    key: string,
    record: SessionRecord,
    expiresAt: number,
    previous: Entry | undefined,
  ): void {
    checkExpiresAt(expiresAt);
    const bytes = recordBytes(key, record);
    if (bytes > maxBytes) {
      throw new RangeError(
        `a session record of ${bytes} bytes is larger than maxBytes (${maxBytes})`,
      );
    }
    indexUser(key, previous?.record.meta.userId, record.meta.userId);
    const isBound = record.meta.userId !== undefined;
    totalBytes += bytes - (previous?.bytes ?? 0);
    if (previous !== undefined) {
      const moved = previous.bound !== isBound;
      Object.assign(previous, { record, expiresAt, bytes, bound: isBound });
      if (moved) enqueue(key, previous);
      else refresh(key, previous);
    } else {
      const entry: Entry = { record, expiresAt, bytes, bound: isBound, stamp: 0 };
      entries.set(key, entry);
      enqueue(key, entry);
    }
    evictBeyondBounds(key);
  }

  return {
    name: 'memory',
    get size() {
      return entries.size;
    },
    get bytes() {
      return totalBytes;
    },
    async load(key: string): Promise<SessionRecord | undefined> {
      const entry = live(key);
      if (entry === undefined) return undefined;
      refresh(key, entry);
      // Records are replaced, never mutated, so handing out the stored object is safe.
      return entry.record;
    },
    async write(
      key: string,
      patch: SessionPatch,
      { mode, expiresAt }: SessionWriteOptions,
    ): Promise<SessionWriteOutcome> {
      const current = live(key);
      if (mode === 'create' ? current !== undefined : current === undefined) return 'conflict';
      const fields: Record<string, string> = { ...current?.record.fields, ...patch.set };
      for (const field of patch.delete) delete fields[field];
      put(key, freezeRecord(patch.meta, fields), expiresAt, current);
      return 'ok';
    },
    async touch(
      key: string,
      meta: SessionMeta,
      { expiresAt }: { readonly expiresAt: number },
    ): Promise<SessionWriteOutcome> {
      const current = live(key);
      if (current === undefined) return 'conflict';
      put(key, freezeRecord(meta, current.record.fields), expiresAt, current);
      return 'ok';
    },
    async delete(key: string): Promise<boolean> {
      const existed = live(key) !== undefined;
      drop(key);
      return existed;
    },
    async listUserSessions(userId: string): Promise<UserSessionEntry[]> {
      const found: UserSessionEntry[] = [];
      for (const key of [...(byUser.get(userId) ?? [])]) {
        const entry = live(key);
        if (entry !== undefined) found.push({ key, meta: entry.record.meta });
      }
      return found;
    },
  };
}

/** What `maxBytes` counts: two bytes per character of the key and of every stored string. */
function recordBytes(key: string, { meta, fields }: SessionRecord): number {
  let chars = key.length + (meta.userId?.length ?? 0) + (meta.device?.length ?? 0);
  for (const name in fields) chars += name.length + (fields[name] as string).length;
  return 2 * chars;
}

/** Keeps only valid, known metadata (as a store that encodes it would) and freezes it all. */
function freezeRecord(meta: SessionMeta, fields: Readonly<Record<string, string>>): SessionRecord {
  return Object.freeze({ meta: Object.freeze(parseMeta(meta)), fields: Object.freeze(fields) });
}
