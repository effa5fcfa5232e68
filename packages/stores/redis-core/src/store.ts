/**
 * The one Redis session store, over any {@link RedisTransport}: the Upstash store and the TCP
 * store are this plus a transport. Two layouts of the same records: `single-slot` (Upstash, a
 * single Redis: one script per operation moves the session and its index together) and
 * `cluster` (each script touches one key; see `cluster-scripts.ts` for the order of writes).
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
import {
  CLUSTER_DELETE_SCRIPT,
  CLUSTER_WRITE_SCRIPT,
  INDEX_ADD_SCRIPT,
  INDEX_MEMBERS_SCRIPT,
  INDEX_REMOVE_SCRIPT,
  MEMBER_META_SCRIPT,
  NEEDS_INDEX,
} from './cluster-scripts.js';
import {
  decodeListReply,
  decodeLoadReply,
  expiryArg,
  UnexpectedReplyError,
  unmark,
  userIndexKey,
  writeArgs,
} from './record.js';
import { DELETE_SCRIPT, LIST_SCRIPT, LOAD_SCRIPT, REPLY_MARK, WRITE_SCRIPT } from './scripts.js';
import { type RedisTransport, redisScript, runScript } from './transport.js';

/** A {@link SessionStore} on Redis; `touch` and the per-user index are always available. */
export interface RedisSessionStore extends SessionStore {
  /** Refreshes metadata and expiry in one round trip, without rewriting any field. */
  touch(
    key: string,
    meta: SessionMeta,
    options: { readonly expiresAt: number },
  ): Promise<SessionWriteOutcome>;
  /**
   * The keys and metadata of the user's sessions. Sessions Redis has expired are left out
   * (and dropped from the index on the way); the core also filters by its clock.
   */
  listUserSessions(userId: string): Promise<UserSessionEntry[]>;
}

/** How the records are spread: all keys of an operation in one script, or one key a script. */
export type RedisLayout = 'single-slot' | 'cluster';

export interface RedisStoreSettings {
  /** The store's name in errors and events (`upstash`, `redis`). */
  readonly name: string;
  readonly transport: RedisTransport;
  /** The manager's key prefix, checked by {@link resolveKeyPrefix}: the index keys start with it. */
  readonly keyPrefix: string;
  readonly layout: RedisLayout;
  /** The clock for index coverage (Cluster layout). @default Date.now */
  readonly now?: () => number;
}

const SCRIPTS = {
  load: redisScript(LOAD_SCRIPT),
  write: redisScript(WRITE_SCRIPT),
  delete: redisScript(DELETE_SCRIPT),
  list: redisScript(LIST_SCRIPT),
  clusterWrite: redisScript(CLUSTER_WRITE_SCRIPT),
  clusterDelete: redisScript(CLUSTER_DELETE_SCRIPT),
  indexAdd: redisScript(INDEX_ADD_SCRIPT),
  indexRemove: redisScript(INDEX_REMOVE_SCRIPT),
  indexMembers: redisScript(INDEX_MEMBERS_SCRIPT),
  memberMeta: redisScript(MEMBER_META_SCRIPT),
};

/**
 * The least time an index entry covers past its session's expiry, so that a sliding session
 * re-raises its entry (an extra round trip) at most about once per this period.
 */
const MIN_COVERAGE_SLACK = 3_600_000;

/**
 * Creates the store. Every failure is a `SessionStoreError` whose message names no key and no
 * data; the client's error, redacted, is its `cause`.
 */
export function createRedisStore(settings: RedisStoreSettings): RedisSessionStore {
  const { name, transport, keyPrefix, layout } = settings;
  const now = settings.now ?? Date.now;
  const run = (
    script: keyof typeof SCRIPTS,
    keys: readonly string[],
    args: readonly string[] = [],
  ): Promise<unknown> => runScript(transport, SCRIPTS[script], keys, args);

  /** Runs one operation; any failure becomes a `SessionStoreError` (S24). */
  async function guard<T>(operation: SessionStoreOperation, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new SessionStoreError(name, operation, { cause: error });
    }
  }

  function outcome(reply: unknown): SessionWriteOutcome {
    if (reply === 1) return 'ok';
    if (reply === 0) return 'conflict';
    throw new UnexpectedReplyError('the write reply is neither 1 nor 0');
  }

  /** Single-slot: one script; the user's index rides along as a second key. */
  async function writeSingle(key: string, meta: SessionMeta, argv: string[]) {
    const keys = meta.userId === undefined ? [key] : [key, userIndexKey(keyPrefix, meta.userId)];
    return outcome(await run('write', keys, argv));
  }

  /**
   * Cluster: one script when the session stays in an index entry that covers it; otherwise
   * the entry first (added or raised), then the session. A create of a bound session always
   * writes the entry first; an update tries without and is told when it must.
   */
  async function writeCluster(key: string, meta: SessionMeta, argv: string[]) {
    const index = meta.userId === undefined ? '' : userIndexKey(keyPrefix, meta.userId);
    const expiresAt = Number(argv[1]);
    const cover = async (): Promise<string> => {
      const coverage = expiryArg(expiresAt + Math.max(expiresAt - now(), MIN_COVERAGE_SLACK));
      await run('indexAdd', [index], [key, coverage]);
      return coverage;
    };
    let coverage = index !== '' && argv[0] === 'create' ? await cover() : '';
    let reply = await run('clusterWrite', [key], [index, coverage, ...argv]);
    if (reply === NEEDS_INDEX && index !== '' && coverage === '') {
      coverage = await cover();
      reply = await run('clusterWrite', [key], [index, coverage, ...argv]);
    }
    return outcome(reply);
  }

  const write = layout === 'cluster' ? writeCluster : writeSingle;

  async function deleteCluster(key: string): Promise<boolean> {
    const reply = await run('clusterDelete', [key]);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number') {
      throw new UnexpectedReplyError('the delete reply is not a count');
    }
    if (reply.length > 1) {
      const index = unmark(reply[1], 'delete');
      // After the delete, and best effort: a leftover entry is dropped by the next list.
      await run('indexRemove', [index], [key]).catch(() => {});
    }
    return reply[0] > 0;
  }

  async function deleteSingle(key: string): Promise<boolean> {
    const reply = await run('delete', [key]);
    // A number is Redis's answer; anything else (an aborted request) is not a deletion.
    if (typeof reply !== 'number')
      throw new UnexpectedReplyError('the delete reply is not a number');
    return reply > 0;
  }

  /** Cluster: the index's members, then each member's metadata (one call per session). */
  async function listCluster(index: string, userId: string): Promise<UserSessionEntry[]> {
    const members = await run('indexMembers', [index]);
    if (!Array.isArray(members)) throw new UnexpectedReplyError('the list reply is not a list');
    const keys = members.map((member) => unmark(member, 'list'));
    const found = await Promise.all(keys.map((key) => run('memberMeta', [key])));
    const flat: unknown[] = [];
    const stale: string[] = [];
    found.forEach((reply, i) => {
      const key = keys[i] as string;
      if (!Array.isArray(reply)) throw new UnexpectedReplyError('the list reply is not a list');
      if (reply.length === 2 && unmark(reply[1], 'list') === index)
        flat.push(REPLY_MARK + key, reply[0]);
      else stale.push(key);
    });
    // Stale entries (the hash gone, or moved to another index) are cleaned on read.
    // Best effort: the answer is right either way, and the next list tries again.
    if (stale.length > 0) await run('indexRemove', [index], stale).catch(() => {});
    return decodeListReply(flat, userId);
  }

  return {
    name,
    load(key): Promise<SessionRecord | undefined> {
      return guard('load', async () => decodeLoadReply(await run('load', [key])));
    },
    write(key, patch, { mode, expiresAt }): Promise<SessionWriteOutcome> {
      return guard('write', () =>
        write(key, patch.meta, writeArgs(mode, expiresAt, patch.meta, patch.set, patch.delete)),
      );
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return guard('touch', () => write(key, meta, writeArgs('update', expiresAt, meta, {}, [])));
    },
    delete(key): Promise<boolean> {
      return guard('delete', () => (layout === 'cluster' ? deleteCluster(key) : deleteSingle(key)));
    },
    listUserSessions(userId): Promise<UserSessionEntry[]> {
      return guard('list', async () => {
        const index = userIndexKey(keyPrefix, userId);
        if (layout === 'cluster') return listCluster(index, userId);
        return decodeListReply(await run('list', [index]), userId);
      });
    },
  };
}
