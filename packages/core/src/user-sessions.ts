import { SessionNotSupportedError } from './errors.js';
import type { SessionEvent } from './events.js';
import { expiredBy } from './expiry-rules.js';
import type { ResolvedOptions } from './options.js';
import { isCookieSessionStore, type SessionStore, type UserSessionEntry } from './store.js';
import { callStore } from './store-call.js';

/** One of a user's live sessions, as `listSessions` reports it. */
export interface UserSessionInfo {
  /** Names the session for `revokeSession`; never the session ID (a list must not leak bearer tokens). */
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

/** The per-user operations of a manager, over its store's index. */
export class UserSessions {
  readonly #options: ResolvedOptions;
  readonly #emit: (event: SessionEvent) => void;

  constructor(options: ResolvedOptions, emit: (event: SessionEvent) => void) {
    this.#options = options;
    this.#emit = emit;
  }

  async list(userId: string, currentHandle: string | undefined): Promise<UserSessionInfo[]> {
    const entries = await this.#entries(userId);
    return entries
      .map(({ key, meta }) => ({
        handle: key.slice(this.#options.keyPrefix.length),
        createdAt: meta.createdAt,
        lastSeenAt: meta.lastSeenAt,
        device: meta.device,
        current: key.slice(this.#options.keyPrefix.length) === currentHandle,
      }))
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  async revoke(userId: string, handle: string): Promise<boolean> {
    const store = this.#store();
    if (typeof handle !== 'string' || !HANDLE.test(handle)) return false;
    const key = this.#options.keyPrefix + handle;
    const record = await this.#call('load', () => store.load(key));
    // Only the owner's sessions: a handle from another user's list revokes nothing.
    if (record === undefined || record.meta.userId !== userId) return false;
    return (await this.#call('delete', () => store.delete(key))) !== false;
  }

  async revokeAll(userId: string, exceptHandle: string | undefined): Promise<number> {
    const store = this.#store();
    const entries = await this.#entries(userId);
    const doomed = entries.filter(
      ({ key }) => key.slice(this.#options.keyPrefix.length) !== exceptHandle,
    );
    // Each session is re-checked before it goes: an eventually consistent index (KV) may still
    // list a session under a user it no longer belongs to. Every delete is tried even if some
    // fail, then the failure is raised: a partial "log out everywhere" must not look complete.
    const results = await Promise.allSettled(
      doomed.map(async ({ key }) => {
        const record = await this.#call('load', () => store.load(key));
        if (record === undefined || record.meta.userId !== userId) return false;
        return (await this.#call('delete', () => store.delete(key))) !== false;
      }),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
    return results.filter((result) => result.status === 'fulfilled' && result.value !== false)
      .length;
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
