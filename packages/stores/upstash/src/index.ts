/**
 * The Upstash Redis session store: sessions as Redis hashes behind Upstash's REST API. One
 * HTTP request per load and per commit; patches apply atomically, field by field.
 * @module
 */
import type {
  SessionMeta,
  SessionRecord,
  SessionStore,
  SessionWriteOutcome,
} from '@fetch-session/core';
import { SessionStoreError, type SessionStoreOperation } from '@fetch-session/core/errors';
import { resolveClient, type UpstashStoreOptions } from './options.js';
import { decodeLoadReply, UnexpectedReplyError, writeArgs } from './record.js';
import { LOAD_SCRIPT, WRITE_SCRIPT } from './scripts.js';

export type { UpstashClient, UpstashClientSettings, UpstashStoreOptions } from './options.js';

/** A {@link SessionStore} on Upstash Redis; `touch` is always available. */
export interface UpstashStore extends SessionStore {
  /** Refreshes metadata and expiry in one request, without rewriting any field. */
  touch(
    key: string,
    meta: SessionMeta,
    options: { readonly expiresAt: number },
  ): Promise<SessionWriteOutcome>;
}

const NAME = 'upstash';

/**
 * Creates an Upstash Redis store. Options are checked here: a bad one throws
 * `SessionConfigError` naming it.
 *
 * Each session is a hash at the key the core passes. A load is one script call (`HGETALL`);
 * a commit is one script call that checks the write mode, `HSET`s the changed fields,
 * `HDEL`s the deleted ones and sets `PEXPIREAT` from `expiresAt` (epoch ms, Redis keeps
 * wall-clock time). Every failure is a `SessionStoreError` whose message names no key and no
 * data; the client's error, which quotes the whole command, stays in `cause`.
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
  const loadScript = redis.createScript<unknown>(LOAD_SCRIPT);
  const writeScript = redis.createScript<unknown>(WRITE_SCRIPT);

  /** Runs the write script: one `EVALSHA` (plus `EVAL` once if Redis lost the script). */
  async function runWrite(
    key: string,
    args: () => string[],
    operation: SessionStoreOperation,
  ): Promise<SessionWriteOutcome> {
    return guard(operation, async () => {
      const reply = await writeScript.exec([key], args());
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
        () => writeArgs(mode, expiresAt, patch.meta, patch.set, patch.delete),
        'write',
      );
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return runWrite(key, () => writeArgs('update', expiresAt, meta, {}, []), 'touch');
    },
    delete(key): Promise<void> {
      return guard('delete', async () => {
        const reply: unknown = await redis.del(key);
        // A number is Redis's answer; anything else (an aborted request) is not a deletion.
        if (typeof reply !== 'number') {
          throw new UnexpectedReplyError('the delete reply is not a number');
        }
      });
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
