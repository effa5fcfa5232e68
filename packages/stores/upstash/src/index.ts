/**
 * The Upstash Redis session store: sessions as Redis hashes behind Upstash's REST API. One
 * HTTP request per load, per commit, per delete and per user's session list; patches apply
 * atomically, field by field, and a per-user index moves with them.
 * @module
 */
import type {
  SessionMeta,
  SessionRecord,
  SessionStore,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import { SessionStoreError, type SessionStoreOperation } from '@fetch-session/core/errors';
import { resolveClient, resolveKeyPrefix, type UpstashStoreOptions } from './options.js';
import {
  decodeListReply,
  decodeLoadReply,
  UnexpectedReplyError,
  userIndexKey,
  writeArgs,
} from './record.js';
import { DELETE_SCRIPT, LIST_SCRIPT, LOAD_SCRIPT, WRITE_SCRIPT } from './scripts.js';

export type { UpstashClient, UpstashClientSettings, UpstashStoreOptions } from './options.js';

/** A {@link SessionStore} on Upstash Redis; `touch` and the per-user index are always available. */
export interface UpstashStore extends SessionStore {
  /** Refreshes metadata and expiry in one request, without rewriting any field. */
  touch(
    key: string,
    meta: SessionMeta,
    options: { readonly expiresAt: number },
  ): Promise<SessionWriteOutcome>;
  /**
   * The keys and metadata of the user's sessions, in one request. Sessions Redis has expired
   * are left out (and dropped from the index on the way); the core also filters by its clock.
   */
  listUserSessions(userId: string): Promise<UserSessionEntry[]>;
}

const NAME = 'upstash';

/**
 * Creates an Upstash Redis store. Options are checked here: a bad one throws
 * `SessionConfigError` naming it.
 *
 * Each session is a hash at the key the core passes. A load is one script call (`HGETALL`);
 * a commit is one script call that checks the write mode, `HSET`s the changed fields,
 * `HDEL`s the deleted ones and sets `PEXPIREAT` from `expiresAt` (epoch ms, Redis keeps
 * wall-clock time). A session bound to a user is also a member of that user's sorted set
 * (`<keyPrefix>user:<user ID>`, scored by `expiresAt`), kept in step by the same write script
 * and by a delete script; `listUserSessions` is one script call. Every failure is a
 * `SessionStoreError` whose message names no key and no data; the client's error, which quotes
 * the whole command, stays in `cause`.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { upstashStore } from '@fetch-session/upstash';
 * import { Redis } from '@upstash/redis';
 *
 * const sessions = createSessionManager({
 *   store: upstashStore({ redis: Redis.fromEnv() }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 */
export function upstashStore(options: UpstashStoreOptions = {}): UpstashStore {
  const redis = resolveClient(options);
  const keyPrefix = resolveKeyPrefix(options);
  const loadScript = redis.createScript<unknown>(LOAD_SCRIPT);
  const writeScript = redis.createScript<unknown>(WRITE_SCRIPT);
  const deleteScript = redis.createScript<unknown>(DELETE_SCRIPT);
  const listScript = redis.createScript<unknown>(LIST_SCRIPT);

  /** Runs the write script: one `EVALSHA` (plus `EVAL` once if Redis lost the script). */
  async function runWrite(
    key: string,
    meta: SessionMeta,
    args: () => string[],
    operation: SessionStoreOperation,
  ): Promise<SessionWriteOutcome> {
    return guard(operation, async () => {
      const argv = args();
      // The user's index rides along as a second key: the write moves the session into it.
      const keys = meta.userId === undefined ? [key] : [key, userIndexKey(keyPrefix, meta.userId)];
      const reply = await writeScript.exec(keys, argv);
      if (reply === 1) return 'ok';
      if (reply === 0) return 'conflict';
      throw new UnexpectedReplyError('the write reply is neither 1 nor 0');
    });
  }

  return {
    name: NAME,
    load(key): Promise<SessionRecord | undefined> {
      return guard('load', async () => decodeLoadReply(await loadScript.exec([key], [])));
    },
    write(key, patch, { mode, expiresAt }): Promise<SessionWriteOutcome> {
      return runWrite(
        key,
        patch.meta,
        () => writeArgs(mode, expiresAt, patch.meta, patch.set, patch.delete),
        'write',
      );
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return runWrite(key, meta, () => writeArgs('update', expiresAt, meta, {}, []), 'touch');
    },
    delete(key): Promise<boolean> {
      return guard('delete', async () => {
        const reply: unknown = await deleteScript.exec([key], []);
        // A number is Redis's answer; anything else (an aborted request) is not a deletion.
        if (typeof reply !== 'number') {
          throw new UnexpectedReplyError('the delete reply is not a number');
        }
        return reply > 0;
      });
    },
    listUserSessions(userId): Promise<UserSessionEntry[]> {
      return guard('list', async () =>
        decodeListReply(await listScript.exec([userIndexKey(keyPrefix, userId)], []), userId),
      );
    },
  };
}

/**
 * Runs one store operation; any failure becomes a `SessionStoreError` with a fixed message
 * (S24). `UpstashError` messages embed the whole command, key and payload included, and
 * loggers print an error's `cause`: so `cause` is a copy with the command cut off, and the
 * client's own error hangs off it as a non-enumerable `original`, for logs you control.
 */
async function guard<T>(operation: SessionStoreOperation, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SessionStoreError(NAME, operation, { cause: redactCause(error) });
  }
}

/** The client's error without the quoted command; the original stays reachable, unprinted. */
export function redactCause(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const cut = error.message.indexOf(', command was:');
  if (cut === -1) return error;
  const redacted = new Error(`${error.message.slice(0, cut)} (command redacted)`);
  redacted.name = error.name;
  Object.defineProperty(redacted, 'original', { value: error, enumerable: false });
  return redacted;
}
