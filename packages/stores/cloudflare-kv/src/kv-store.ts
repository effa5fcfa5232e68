import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
} from '@fetch-session/core';
import { SessionStoreError, type SessionStoreOperation } from '@fetch-session/core/errors';
import { applyOps } from './apply-ops.js';
import { checkExpiresAt, expirationOptions } from './expiration.js';
import { checkKey } from './key.js';
import { type CloudflareKvStoreOptions, resolveKvStoreOptions } from './options.js';
import type { QueuedOp } from './queued-op.js';
import { RecentKeys } from './recent-keys.js';
import { decodeRecord, encodeRecord, type StoredSession } from './record-codec.js';
import { type RetryPolicy, retryRateLimited } from './retry.js';
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
 * hashed store key. Per call:
 * - `load`: one KV read (none for a session this isolate destroyed).
 * - `write` / `touch`: one read and one write, merged with the calls that arrive for the same
 *   key within `writeInterval` of the key's previous write from this isolate.
 * - `delete`: one KV delete, after `writeInterval` if the key was just written.
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

  async function flush(key: string, ops: readonly QueuedOp[]): Promise<FlushResult> {
    const onlyDeletes = ops.every((op) => op.kind === 'delete');
    const current = onlyDeletes ? undefined : await read(key);
    const applied = applyOps(current, ops);
    if (!applied.changed) return { outcomes: applied.outcomes, wrote: false };
    const { state } = applied;
    if (state === undefined) {
      await retryRateLimited(() => kv.delete(key), retry);
    } else {
      const value = encodeRecord(state);
      await retryRateLimited(
        () => kv.put(key, value, expirationOptions(state.expiresAt, now())),
        retry,
      );
      if (applied.created) tombstones.delete(key);
    }
    return { outcomes: applied.outcomes, wrote: true };
  }

  const queue = new WriteQueue({ flush, interval: config.writeInterval, now, sleep });

  return {
    name: NAME,
    load(key: string): Promise<SessionRecord | undefined> {
      return guard('load', key, async () => {
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
      return guard('write', key, async () => {
        checkExpiresAt(expiresAt);
        if (mode !== 'create' && mode !== 'update') throw new RangeError('unknown write mode');
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
      return guard('touch', key, async () => {
        checkExpiresAt(expiresAt);
        if (tombstones.has(key)) return 'conflict';
        return queue.enqueue(key, { kind: 'touch', at: now(), meta: { ...meta }, expiresAt });
      });
    },
    delete(key: string): Promise<void> {
      return guard('delete', key, async () => {
        // Refused in this isolate from now on, even while KV still serves the old value.
        tombstones.mark(key);
        await queue.enqueue(key, { kind: 'delete' });
      });
    },
  };
}

/** Runs a store call; any failure becomes a redacted `SessionStoreError` keeping the cause. */
async function guard<T>(
  operation: SessionStoreOperation,
  key: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    checkKey(key);
    return await call();
  } catch (cause) {
    if (cause instanceof SessionStoreError) throw cause;
    throw new SessionStoreError(NAME, operation, { cause });
  }
}
