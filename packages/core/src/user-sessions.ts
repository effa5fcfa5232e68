import { SessionNotSupportedError, SessionStoreError } from './errors.js';
import type { SessionEvent } from './events.js';
import { expiredBy } from './expiry-rules.js';
import type { ResolvedOptions } from './options.js';
import {
  isCookieSessionStore,
  type SessionMeta,
  type SessionStore,
  type UserSessionEntry,
} from './store.js';
import { callStore } from './store-call.js';

/** One of a user's live sessions, as `listSessions` reports it. */
export interface UserSessionInfo {
  /**
   * Names the session for `revokeSession`; never the session ID (a list must not leak bearer
   * tokens). It names the session's lineage, so it stays valid across `regenerate()`.
   */
  readonly handle: string;
  /** When the session was created (epoch ms). */
  readonly createdAt: number;
  /** When it was last refreshed (epoch ms); refreshes happen at most once per `touchAfter`. */
  readonly lastSeenAt: number;
  /** The coarse device label stored at `bindUser`. */
  readonly device: string | undefined;
  /** Whether this is the session of the request that asked (`current` option). */
  readonly current: boolean;
}

const HANDLE = /^[A-Za-z0-9_-]{43}$/;
/** Store calls of a revocation in flight at once: a user with many sessions is not one burst. */
export const REVOKE_BATCH_SIZE = 16;
/**
 * Passes over the index before a revocation gives up: each pass after the first is only made
 * because a delete found its record already gone, i.e. a regenerate of that lineage moved it.
 */
const REVOKE_ROUNDS = 8;

/** Paging of {@link UserSessions.list}. */
export interface ListPage {
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** The per-user operations of a manager, over its store's index. */
export class UserSessions {
  readonly #options: ResolvedOptions;
  readonly #emit: (event: SessionEvent) => void;

  constructor(options: ResolvedOptions, emit: (event: SessionEvent) => void) {
    this.#options = options;
    this.#emit = emit;
  }

  async list(
    userId: string,
    currentHandle: string | undefined,
    page: ListPage = {},
  ): Promise<UserSessionInfo[]> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new TypeError('[fetch-session] listSessions() offset must be a whole number >= 0');
    }
    if (limit !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(limit) || limit < 1)) {
      throw new TypeError('[fetch-session] listSessions() limit must be a whole number >= 1');
    }
    const sessions = (await this.#lineages(userId)).map(({ lineage, meta }) => ({
      handle: lineage,
      createdAt: meta.createdAt,
      lastSeenAt: meta.lastSeenAt,
      device: meta.device,
      current: lineage === currentHandle,
    }));
    return sessions.slice(offset, offset + limit);
  }

  async revoke(userId: string, handle: string): Promise<boolean> {
    this.#store();
    if (typeof handle !== 'string' || !HANDLE.test(handle)) return false;
    return (await this.#revokeWhere(userId, (lineage) => lineage === handle)) > 0;
  }

  async revokeAll(userId: string, exceptHandle: string | undefined): Promise<number> {
    return this.#revokeWhere(userId, (lineage) => lineage !== exceptHandle);
  }

  /**
   * Enforces `maxSessionsPerUser` after a commit bound `userId`: the least recently seen
   * lineages beyond the cap are revoked, never `keep` (the committing session's own).
   */
  async enforceCap(userId: string, keep: string | undefined): Promise<number> {
    const max = this.#options.maxSessionsPerUser;
    const store = this.#options.store;
    if (isCookieSessionStore(store) || store.listUserSessions === undefined) return 0;
    const lineages = await this.#lineages(userId);
    if (lineages.length <= max) return 0;
    const kept = new Set<string>();
    if (keep !== undefined) kept.add(keep);
    for (const { lineage } of lineages) {
      if (kept.size >= max) break;
      kept.add(lineage);
    }
    return this.#revokeWhere(userId, (lineage) => !kept.has(lineage));
  }

  /**
   * Deletes every record of the user whose lineage is doomed, and repeats while a delete found
   * its record gone: that is a regenerate of the lineage that created a record this pass did
   * not list (H2). Deletes run in batches of {@link REVOKE_BATCH_SIZE}; every one is tried,
   * then the first failure is raised. Returns how many lineages were ended.
   */
  async #revokeWhere(userId: string, doomed: (lineage: string) => boolean): Promise<number> {
    const store = this.#store();
    const ended = new Set<string>();
    for (let round = 0; round < REVOKE_ROUNDS; round++) {
      const targets = (await this.#entries(userId)).filter((entry) =>
        doomed(this.#lineageOf(entry.key, entry.meta)),
      );
      if (targets.length === 0) return ended.size;
      let raced = false;
      let failure: { reason: unknown } | undefined;
      for (let start = 0; start < targets.length; start += REVOKE_BATCH_SIZE) {
        const results = await Promise.allSettled(
          targets.slice(start, start + REVOKE_BATCH_SIZE).map(async ({ key }) => {
            // Re-checked before it goes: an eventually consistent index (KV) may still list a
            // session under a user it no longer belongs to.
            const record = await this.#call('load', () => store.load(key));
            if (record === undefined) return undefined;
            const lineage = this.#lineageOf(key, record.meta);
            if (record.meta.userId !== userId || !doomed(lineage)) return null;
            const existed = (await this.#call('delete', () => store.delete(key))) !== false;
            return existed ? lineage : undefined;
          }),
        );
        for (const result of results) {
          if (result.status === 'rejected') failure ??= { reason: result.reason };
          else if (typeof result.value === 'string') ended.add(result.value);
          else if (result.value === undefined) raced = true;
        }
      }
      // A partial "log out everywhere" must not look complete.
      if (failure !== undefined) throw failure.reason;
      if (!raced) return ended.size;
    }
    throw new SessionStoreError(this.#options.store.name, 'delete', {
      cause: new Error('sessions kept being regenerated while they were revoked; try again'),
    });
  }

  /** The user's lineages, most recently seen first, each with its most recent record's meta. */
  async #lineages(userId: string): Promise<Array<{ lineage: string; meta: SessionMeta }>> {
    const newest = new Map<string, SessionMeta>();
    for (const { key, meta } of await this.#entries(userId)) {
      // Between the two steps of a regenerate a lineage has two records: list it once.
      const lineage = this.#lineageOf(key, meta);
      const seen = newest.get(lineage);
      if (seen === undefined || meta.lastSeenAt > seen.lastSeenAt) newest.set(lineage, meta);
    }
    return [...newest]
      .map(([lineage, meta]) => ({ lineage, meta }))
      .sort((a, b) => b.meta.lastSeenAt - a.meta.lastSeenAt);
  }

  #lineageOf(key: string, meta: SessionMeta): string {
    return meta.origin ?? key.slice(this.#options.keyPrefix.length);
  }

  /** The user's live entries: owned by the user, not expired by the core's own clock (S17). */
  async #entries(userId: string): Promise<UserSessionEntry[]> {
    const store = this.#store();
    const list = store.listUserSessions;
    if (list === undefined) {
      throw new SessionNotSupportedError(`store "${store.name}" keeps no per-user index`);
    }
    const now = this.#options.now();
    const entries = await this.#call('list', () => list.call(store, userId));
    const { keyPrefix } = this.#options;
    return entries.filter(
      ({ key, meta }) =>
        // Another app sharing the store uses another prefix: its sessions are not ours to list.
        key.startsWith(keyPrefix) &&
        key.length === keyPrefix.length + 43 &&
        meta.userId === userId &&
        expiredBy(meta, now, this.#options) === undefined,
    );
  }

  #store(): SessionStore {
    const { store } = this.#options;
    if (isCookieSessionStore(store)) {
      throw new SessionNotSupportedError(
        'a stateless cookie store cannot list or revoke sessions: the sessions live in the browsers',
      );
    }
    return store;
  }

  #call<T>(operation: 'load' | 'delete' | 'list', call: () => Promise<T>): Promise<T> {
    return callStore(this.#options.store.name, operation, undefined, this.#emit, call);
  }
}
