import type {
  SessionMeta,
  SessionPatch,
  SessionRecord,
  SessionStore,
  SessionWriteOptions,
  SessionWriteOutcome,
} from '@fetch-session/core';
import { checkExpiresAt, KeyedQueue, StoredDataError } from '@fetch-session/core/store-kit';
import {
  MemcachedStatusError,
  type MemjsClient,
  Opcode,
  type Reply,
  Status,
  sendRequest,
  storageExtras,
} from './binary-protocol.js';
import { memcachedExpiration } from './expiration.js';
import { type MemcachedStoreOptions, resolveMemcachedOptions } from './options.js';
import { decodeSession, encodeSession, type StoredSession } from './record-codec.js';

const LAST_LOADED_LIMIT = 1000;

/** Too many other writers changed a session between this update's read and its write. */
export class CasContentionError extends Error {
  override name = 'CasContentionError';
  readonly code = 'ECASCONTENTION';
}

/**
 * Creates a session store on memcached through the `memjs` client. One value per session; a
 * new session is created with `add` (never overwrites), a commit is a read plus a
 * compare-and-set (`gets`/`cas`) retried when another process wrote in between, so patches to
 * different keys of one session are all kept, and an update never brings back a deleted
 * session.
 *
 * memcached may evict any item at any time (under memory pressure, or on restart): a session
 * can vanish, and the user is signed out. It cannot list keys either, so there is no
 * per-user index: `listSessions` and `revokeAllSessions` throw `SessionNotSupportedError`.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { memcachedStore } from '@fetch-session/memcached';
 * import memjs from 'memjs';
 *
 * const sessions = createSessionManager({
 *   store: memcachedStore({ client: memjs.Client.create('127.0.0.1:11211') }),
 *   secrets: [process.env.SESSION_SECRET],
 * });
 * ```
 */
export function memcachedStore(options: MemcachedStoreOptions): SessionStore {
  const { client, maxCasRetries, now } = resolveMemcachedOptions(options);
  const queue = new KeyedQueue();
  // What the last load saw of a key (record and CAS token): the commit that usually follows
  // tries its compare-and-set on it directly, saving a read. Bounded; a stale entry only costs
  // the read it meant to save (the CAS fails and the loop re-reads).
  const lastLoaded = new Map<string, { session: StoredSession; cas: Uint8Array }>();
  const remember = (key: string, item: { session: StoredSession; cas: Uint8Array }): void => {
    lastLoaded.delete(key);
    if (lastLoaded.size >= LAST_LOADED_LIMIT) {
      const oldest = lastLoaded.keys().next();
      if (!oldest.done) lastLoaded.delete(oldest.value);
    }
    lastLoaded.set(key, item);
  };

  /** The stored item: its session (`undefined` when expired or unreadable) and CAS token. */
  const getItem = async (
    key: string,
  ): Promise<{ session: StoredSession | undefined; cas: Uint8Array } | undefined> => {
    const reply = await sendRequest(client, { opcode: Opcode.get, key });
    if (reply.status === Status.notFound) return undefined;
    expectStatus('get', reply, Status.ok);
    try {
      const session = decodeSession(reply.value);
      return { session: session.expiresAt > now() ? session : undefined, cas: reply.cas };
    } catch (error) {
      // A foreign or damaged value: no session (the core then issues a new ID).
      if (error instanceof StoredDataError) return { session: undefined, cas: reply.cas };
      throw error;
    }
  };

  const get = async (
    key: string,
  ): Promise<{ session: StoredSession; cas: Uint8Array } | undefined> => {
    const item = await getItem(key);
    return item?.session === undefined ? undefined : { session: item.session, cas: item.cas };
  };

  /** `add`; over an item that is there but expired by the record's own time, a CAS set. */
  const create = async (key: string, session: StoredSession): Promise<SessionWriteOutcome> => {
    const added = await store(Opcode.add, key, session);
    if (added.status === Status.ok) return 'ok';
    if (added.status !== Status.exists && added.status !== Status.notStored) {
      throw new MemcachedStatusError('add', added.status);
    }
    const item = await getItem(key);
    if (item === undefined) return create(key, session);
    if (item.session !== undefined) return 'conflict';
    const replaced = await store(Opcode.set, key, session, item.cas);
    if (replaced.status === Status.ok) return 'ok';
    if (replaced.status === Status.exists || replaced.status === Status.notFound) return 'conflict';
    throw new MemcachedStatusError('cas', replaced.status);
  };

  const store = (opcode: number, key: string, session: StoredSession, cas?: Uint8Array) =>
    sendRequest(client, {
      opcode,
      key,
      extras: storageExtras(memcachedExpiration(session.expiresAt, now(), Date.now())),
      value: encodeSession(session),
      ...(cas !== undefined && { cas }),
    });

  /** Read, change, compare-and-set; again if another process wrote in between. */
  const update = (
    key: string,
    meta: SessionMeta,
    change: (fields: Readonly<Record<string, string>>) => Record<string, string>,
    expiresAt: number,
  ): Promise<SessionWriteOutcome> =>
    queue.run(key, async () => {
      let seen = lastLoaded.get(key);
      lastLoaded.delete(key);
      for (let attempt = 0; attempt < maxCasRetries; attempt++) {
        const current =
          seen !== undefined && seen.session.expiresAt > now() ? seen : await get(key);
        seen = undefined;
        if (current === undefined) return 'conflict';
        const next = { meta, fields: change(current.session.fields), expiresAt };
        const reply = await store(Opcode.set, key, next, current.cas);
        if (reply.status === Status.ok) return 'ok';
        if (reply.status === Status.notFound) return 'conflict';
        if (reply.status !== Status.exists) throw new MemcachedStatusError('cas', reply.status);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * (attempt + 1) * 2));
      }
      throw new CasContentionError('a session kept changing under a compare-and-set');
    });

  return {
    name: 'memcached',

    async load(key): Promise<SessionRecord | undefined> {
      const current = await get(key);
      if (current === undefined) return undefined;
      remember(key, current);
      return { meta: current.session.meta, fields: { ...current.session.fields } };
    },

    async write(key, patch: SessionPatch, { mode, expiresAt }: SessionWriteOptions) {
      checkExpiresAt(expiresAt);
      if (mode === 'create') {
        const session = { meta: patch.meta, fields: applyPatch({}, patch), expiresAt };
        return queue.run(key, () => create(key, session));
      }
      return update(key, patch.meta, (fields) => applyPatch(fields, patch), expiresAt);
    },

    touch(key, meta, { expiresAt }) {
      checkExpiresAt(expiresAt);
      return update(key, meta, (fields) => ({ ...fields }), expiresAt);
    },

    async delete(key): Promise<boolean> {
      lastLoaded.delete(key);
      const reply = await queue.run(key, () => sendRequest(client, { opcode: Opcode.delete, key }));
      if (reply.status === Status.notFound) return false;
      expectStatus('delete', reply, Status.ok);
      return true;
    },
  };
}

function applyPatch(
  fields: Readonly<Record<string, string>>,
  patch: SessionPatch,
): Record<string, string> {
  const next: Record<string, string> = { ...fields };
  for (const [field, value] of Object.entries(patch.set)) next[field] = value;
  for (const field of patch.delete) delete next[field];
  return next;
}

function expectStatus(operation: string, reply: Reply, status: number): void {
  if (reply.status !== status) throw new MemcachedStatusError(operation, reply.status);
}

export type { MemjsClient };
