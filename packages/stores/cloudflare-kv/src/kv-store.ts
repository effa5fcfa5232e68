import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import { checkExpiresAt, redactError, StoredDataError } from '@fetch-session/core/store-kit';
import { applyOps } from './apply-ops.js';
import { expirationOptions } from './expiration.js';
import { checkKey } from './key.js';
import { type CloudflareKvStoreOptions, resolveKvStoreOptions } from './options.js';
import type { QueuedOp } from './queued-op.js';
import { RecentKeys } from './recent-keys.js';
import { decodeRecord, encodeRecord, type StoredSession } from './record-codec.js';
import { type RetryPolicy, retryRateLimited } from './retry.js';
import {
  checkIndexKey,
  decodeIndexMetadata,
  encodeIndexMetadata,
  userPrefix,
} from './user-index.js';
import { type FlushResult, WriteQueue } from './write-queue.js';

const NAME = 'cloudflare-kv';

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Creates a session store over a Workers KV namespace. Create it once per isolate (at module
 * scope, or lazily from the first request's `env`) together with the session manager: the
 * write queue and the memory of destroyed sessions live in the store object.
 *
 * Each session is one KV value, `{ v, expiresAt, meta, fields }` as JSON, under the core's
 * hashed store key. A session bound to a user (`session.bindUser()`) also has an entry in the
 * per-user index: an empty value under `<userIndexPrefix><SHA-256 of the user ID>:<store key>`
 * whose KV metadata holds what a session list shows, with the session's expiration. Per call:
 * - `load`: one KV read (none for a session this isolate destroyed).
 * - `write` / `touch`: one read and one write, plus one write of the index entry for a bound
 *   session (and one delete when its user changed); merged with the calls that arrive for the
 *   same key within `writeInterval` of the key's previous write from this isolate.
 * - `delete`: one read (which user's index to update) and one KV delete, plus one for the
 *   index entry of a bound session; after `writeInterval` if the key was just written.
 * - `listUserSessions`: one KV `list()` per 1000 sessions, no reads.
 *
 * KV is eventually consistent and has no atomic update: see the README before relying on
 * logout or on concurrent writes from several locations.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { cloudflareKvStore } from '@fetch-session/cloudflare-kv';
 *
 * const sessions = createSessionManager({
 *   store: cloudflareKvStore({ namespace: env.SESSIONS }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 */
export function cloudflareKvStore(options: CloudflareKvStoreOptions): SessionStore {
  const config = resolveKvStoreOptions(options);
  const { namespace: kv, now, cacheTtl } = config;
  const tombstones = new RecentKeys(config.tombstoneTtl, config.maxTombstones, now);
  const retry: RetryPolicy = {
    maxRetries: config.maxRetries,
    baseDelay: Math.max(config.writeInterval, 100),
    sleep,
    random: Math.random,
  };

  /** The record if KV has it and this isolate did not destroy it (expired or not). */
  async function read(key: string): Promise<StoredSession | undefined> {
    if (tombstones.has(key)) return undefined;
    const text = await kv.get(key, { type: 'text', cacheTtl });
    // A destroy may have been called while the read was in flight.
    if (text === null || tombstones.has(key)) return undefined;
    return decodeRecord(text);
  }

  /**
   * What KV holds for a key, whether or not this isolate destroyed it: the index entry to
   * replace or remove follows that. A value that does not decode has no index entry to find;
   * `lenient` says to go on without one (a delete must not fail on it).
   */
  async function readRaw(key: string, lenient: boolean): Promise<StoredSession | undefined> {
    const text = await kv.get(key, { type: 'text', cacheTtl });
    if (text === null) return undefined;
    if (!lenient) return decodeRecord(text);
    try {
      return decodeRecord(text);
    } catch {
      return undefined;
    }
  }

  const indexed = kv.list !== undefined;
  const write = (call: () => Promise<void>): Promise<void> => retryRateLimited(call, retry);

  async function flush(key: string, ops: readonly QueuedOp[]): Promise<FlushResult> {
    const onlyDeletes = ops.every((op) => op.kind === 'delete');
    // Without the index, a delete needs no read; with it, the read says whose entry to drop.
    const held = onlyDeletes && !indexed ? undefined : await readRaw(key, onlyDeletes);
    const current = held === undefined || tombstones.has(key) ? undefined : held;
    const applied = applyOps(current, ops);
    if (!applied.changed) return { outcomes: applied.outcomes, wrote: false };
    const { state } = applied;
    const before = indexed ? held?.meta.userId : undefined;
    if (state === undefined) {
      await write(() => kv.delete(key));
      // After the session: a failure here leaves an entry for a deleted session (listed until
      // its TTL, revoking it is a no-op), never a live session missing from its user's index.
      if (before !== undefined) {
        const entry = (await userPrefix(config.userIndexPrefix, before)) + key;
        await write(() => kv.delete(entry));
      }
    } else {
      const after = indexed ? state.meta.userId : undefined;
      const options = expirationOptions(state.expiresAt, now());
      // The index entry first: a live bound session is never missing from its user's index.
      // Rewritten on every write, even when it says the same: a location still serving a
      // revoked session can write it back (last writer wins), and it must then be listed again
      // for "log out everywhere" to reach it.
      let added: string | undefined;
      if (after !== undefined) {
        const entry = (await userPrefix(config.userIndexPrefix, after)) + key;
        const metadata = encodeIndexMetadata(state);
        await write(() => kv.put(entry, '', { ...options, metadata }));
        if (held === undefined) added = entry;
      }
      const value = encodeRecord(state);
      try {
        await write(() => kv.put(key, value, options));
      } catch (error) {
        // A new session that failed to be written has no cookie anywhere: drop its entry so it
        // is not listed (best effort; left over, it is listed until its TTL, revoking nothing).
        if (added !== undefined) await kv.delete(added).catch(() => {});
        throw error;
      }
      if (applied.created) tombstones.delete(key);
      if (before !== undefined && before !== after) {
        const entry = (await userPrefix(config.userIndexPrefix, before)) + key;
        await write(() => kv.delete(entry));
      }
    }
    return { outcomes: applied.outcomes, wrote: true };
  }

  /** The user's index entries from KV's listing, minus the sessions this isolate destroyed. */
  async function listUserSessions(userId: string): Promise<UserSessionEntry[]> {
    if (typeof userId !== 'string') throw new TypeError('userId must be a string');
    const list = kv.list?.bind(kv);
    if (list === undefined) throw new TypeError('the KV namespace has no list()');
    const prefix = await userPrefix(config.userIndexPrefix, userId);
    const found: UserSessionEntry[] = [];
    const unreadable: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor === undefined ? { prefix } : { prefix, cursor });
      for (const { name, metadata } of page.keys) {
        if (!name.startsWith(prefix)) continue;
        const key = name.slice(prefix.length);
        // Revoked here: refused at once, even while KV's listing still has it.
        if (tombstones.has(key)) continue;
        const entry = decodeIndexMetadata(metadata, userId);
        if (entry === undefined) unreadable.push(key);
        else if (entry.expiresAt > now()) found.push({ key, meta: entry.meta });
      }
      cursor = page.list_complete ? undefined : page.cursor || undefined;
    } while (cursor !== undefined);
    // An entry whose metadata this store did not write: the session itself decides.
    const read = await Promise.all(unreadable.map((key) => readUserSession(key, userId)));
    for (const entry of read) if (entry !== undefined) found.push(entry);
    return found;
  }

  async function readUserSession(
    key: string,
    userId: string,
  ): Promise<UserSessionEntry | undefined> {
    try {
      checkKey(key);
    } catch {
      return undefined; // not a key this store wrote
    }
    const stored = await read(key);
    if (stored === undefined || stored.expiresAt <= now() || stored.meta.userId !== userId) {
      return undefined;
    }
    return { key, meta: stored.meta };
  }

  const queue = new WriteQueue({ flush, interval: config.writeInterval, now, sleep });

  const store: SessionStore = {
    name: NAME,
    load(key: string): Promise<SessionRecord | undefined> {
      return guard(key, async () => {
        const stored = await read(key);
        // KV keeps records at least 60 s; a shorter expiresAt is enforced here.
        if (stored === undefined || stored.expiresAt <= now()) return undefined;
        return { meta: stored.meta, fields: stored.fields };
      });
    },
    write(
      key: string,
      patch: SessionPatch,
      { mode, expiresAt }: SessionWriteOptions,
    ): Promise<SessionWriteOutcome> {
      return guard(key, async () => {
        checkExpiresAt(expiresAt);
        if (mode !== 'create' && mode !== 'update') throw new RangeError('unknown write mode');
        if (indexed && patch.meta.userId !== undefined) checkIndexKey(config.userIndexPrefix, key);
        if (mode === 'update' && tombstones.has(key)) return 'conflict';
        // Copied: the call may wait for the key's next write slot.
        const copy: SessionPatch = {
          meta: { ...patch.meta },
          set: { ...patch.set },
          delete: [...patch.delete],
        };
        return queue.enqueue(key, { kind: 'write', at: now(), patch: copy, mode, expiresAt });
      });
    },
    touch(
      key: string,
      meta: SessionMeta,
      { expiresAt }: { readonly expiresAt: number },
    ): Promise<SessionWriteOutcome> {
      return guard(key, async () => {
        checkExpiresAt(expiresAt);
        if (indexed && meta.userId !== undefined) checkIndexKey(config.userIndexPrefix, key);
        if (tombstones.has(key)) return 'conflict';
        return queue.enqueue(key, { kind: 'touch', at: now(), meta: { ...meta }, expiresAt });
      });
    },
    delete(key: string): Promise<boolean | undefined> {
      return guard(key, async () => {
        // Known gone only if this isolate already deleted it; KV itself cannot say cheaply.
        const alreadyGone = tombstones.has(key);
        // Refused in this isolate from now on, even while KV still serves the old value.
        tombstones.mark(key);
        await queue.enqueue(key, { kind: 'delete' });
        return alreadyGone ? false : undefined;
      });
    },
  };
  if (!indexed) return store;
  return {
    ...store,
    listUserSessions(userId: string): Promise<UserSessionEntry[]> {
      return guard(undefined, () => listUserSessions(userId));
    },
  };
}

/**
 * Runs a store call. KV's errors are redacted (S24: a binding's message may quote a key) and
 * thrown as they are: the core wraps every store failure in one `SessionStoreError`. The
 * store's own checks (`RangeError`s naming sizes, `StoredDataError`) quote no key and no data,
 * and pass unchanged.
 */
async function guard<T>(key: string | undefined, call: () => Promise<T>): Promise<T> {
  if (key !== undefined) checkKey(key);
  try {
    return await call();
  } catch (error) {
    throw error instanceof StoredDataError || error instanceof RangeError
      ? error
      : redactError(error);
  }
}
