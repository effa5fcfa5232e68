import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import {
  checkExpiresAt,
  decodeMeta,
  parseFields,
  StoredDataError,
} from '@fetch-session/core/store-kit';
import { redactObjectError } from './errors.js';
import type { SessionObjectStub } from './namespace.js';
import { type DurableObjectStoreOptions, resolveOptions } from './options.js';
import type { WireWrite } from './wire.js';

const NAME = 'durable-objects';

/**
 * Creates a session store over the {@link SessionObject} Durable Object namespace: strongly
 * consistent sessions on Workers. One object per session (`session:<store key>`), one per user
 * for the per-user index (`user:<user ID>`). Round trips (RPC calls to objects) per call:
 * - `load`, and `write`/`touch` of a session whose user does not change: **one**, to the
 *   session's object.
 * - `write` creating a session bound to a user (login): two in parallel, the session's object
 *   and the user's (one round trip of latency).
 * - `write` binding an existing session to another user: three in sequence (the session's
 *   object refuses, the user's index gets the entry, the write again), plus one to remove the
 *   entry from the previous user's index.
 * - `delete`: one, plus one to the user's object for a bound session (after the delete, which
 *   already holds everywhere).
 * - `listUserSessions`: one to the user's object, then one per listed session in parallel
 *   (their live metadata), plus one to prune entries of sessions gone or moved.
 *
 * A failure (the object overloaded, reset, a storage error) is thrown as a redacted copy of
 * the error, with its `retryable` and `overloaded` flags; the core wraps it in a
 * `SessionStoreError` (503), never an empty session.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { durableObjectStore } from '@fetch-session/durable-objects';
 * export { SessionObject } from '@fetch-session/durable-objects';
 *
 * const sessions = createSessionManager({
 *   store: durableObjectStore({ namespace: env.SESSIONS }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 */
export function durableObjectStore(options: DurableObjectStoreOptions): SessionStore {
  const { namespace, now } = resolveOptions(options);
  const object = (name: string): SessionObjectStub =>
    namespace.get(namespace.idFromName(name) as never);
  const sessionObject = (key: string) => object(`session:${key}`);
  const userObject = (userId: string) => object(`user:${userId}`);

  async function apply(key: string, write: WireWrite): Promise<SessionWriteOutcome> {
    const session = sessionObject(key);
    const user = write.meta.userId;
    let answer: Awaited<ReturnType<SessionObjectStub['write']>>;
    if (write.mode === 'create' && user !== undefined) {
      // A new session has no cookie until this succeeds: both at once is safe. If the entry
      // fails, the session is never handed out; if the session fails, the listing drops the
      // entry (it checks every session it lists).
      [answer] = await Promise.all([
        session.write({ ...write, indexedUser: user }),
        userObject(user).addMember(key),
      ]);
    } else {
      answer = await session.write(write);
      if (answer.outcome === 'unindexed' && user !== undefined) {
        // Bound to another user: the index entry first, so a live bound session is never
        // missing from its user's index ("log out everywhere" must reach it).
        await userObject(user).addMember(key);
        answer = await session.write({ ...write, indexedUser: user });
      }
    }
    if (answer.outcome === 'unindexed') throw new Error('the session object refused its index');
    if (answer.previousUser !== undefined) {
      await userObject(answer.previousUser).removeMembers([key]);
    }
    return answer.outcome;
  }

  async function listUserSessions(userId: string): Promise<UserSessionEntry[]> {
    if (typeof userId !== 'string') throw new TypeError('userId must be a string');
    const index = userObject(userId);
    const keys = await index.members();
    const at = now();
    const metas = await Promise.all(keys.map((key) => sessionObject(key).meta(at)));
    const found: UserSessionEntry[] = [];
    const gone: string[] = [];
    keys.forEach((key, i) => {
      const text = metas[i];
      const meta = text === null || text === undefined ? undefined : decodeMeta(text);
      if (meta?.userId === userId) found.push({ key, meta });
      else gone.push(key);
    });
    if (gone.length > 0) await index.removeMembers(gone);
    return found;
  }

  const guarded =
    <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        return await call(...args);
      } catch (error) {
        // The store's own checks quote no key and no data: passed as they are.
        if (error instanceof StoredDataError || error instanceof RangeError) throw error;
        throw redactObjectError(error);
      }
    };

  return {
    name: NAME,
    load: guarded(async (key: string): Promise<SessionRecord | undefined> => {
      const record = await sessionObject(key).load(now());
      if (record === null) return undefined;
      return {
        meta: decodeMeta(record.meta),
        fields: parseFields(Object.fromEntries(record.fields)),
      };
    }),
    write: guarded((key: string, patch: SessionPatch, { mode, expiresAt }: SessionWriteOptions) => {
      checkExpiresAt(expiresAt);
      if (mode !== 'create' && mode !== 'update') throw new RangeError('unknown write mode');
      return apply(key, {
        mode,
        meta: patch.meta,
        set: Object.entries(patch.set),
        delete: [...patch.delete],
        expiresAt,
        now: now(),
      });
    }),
    touch: guarded(
      (key: string, meta: SessionMeta, { expiresAt }: { readonly expiresAt: number }) => {
        checkExpiresAt(expiresAt);
        return apply(key, { mode: 'update', meta, set: [], delete: [], expiresAt, now: now() });
      },
    ),
    delete: guarded(async (key: string): Promise<boolean> => {
      const answer = await sessionObject(key).delete(now());
      if (answer.user !== undefined) await userObject(answer.user).removeMembers([key]);
      return answer.existed;
    }),
    listUserSessions: guarded(listUserSessions),
  };
}
