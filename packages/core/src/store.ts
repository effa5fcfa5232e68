/**
 * The contract between the session core and a store. A store is a small object with three
 * required async methods; the core does everything else (IDs, signing, expiry, change
 * detection). Store authors: run the conformance suite from `@fetch-session/core/testing`.
 *
 * All times are epoch milliseconds from the core's clock. Records and patches hold strings the
 * store never interprets: each top-level session key is serialized separately, so a store can
 * keep a session as a hash (Redis) and apply a patch field by field.
 *
 * @example A minimal store over a `Map` (the memory store adds expiry and an LRU bound)
 * ```ts
 * import type { SessionStore } from '@fetch-session/core';
 *
 * const records = new Map();
 * const store: SessionStore = {
 *   name: 'map',
 *   async load(key) {
 *     const record = records.get(key);
 *     return record && { meta: { ...record.meta }, fields: { ...record.fields } };
 *   },
 *   async write(key, patch, { mode }) {
 *     const record = records.get(key);
 *     if (mode === 'create' ? record : !record) return 'conflict';
 *     const fields = { ...record?.fields, ...patch.set };
 *     for (const field of patch.delete) delete fields[field];
 *     records.set(key, { meta: patch.meta, fields });
 *     return 'ok';
 *   },
 *   async delete(key) {
 *     records.delete(key);
 *   },
 * };
 * ```
 * @module
 */

/** Server-side metadata of a session. Never sent to the client. */
export interface SessionMeta {
  /** When the session was created; never extended (S16). */
  readonly createdAt: number;
  /** When the session was last refreshed; the idle timeout counts from here (S15). */
  readonly lastSeenAt: number;
  /** Whether the cookie is permanent (`Max-Age`) rather than a browser-session cookie. */
  readonly permanent: boolean;
  /**
   * The user this session belongs to (`session.bindUser()`), for the per-user index: stores
   * that implement {@link SessionStore.listUserSessions} keep it in step with writes and
   * deletes.
   */
  readonly userId?: string;
  /** A coarse device label for session lists, e.g. `Chrome on macOS`. */
  readonly device?: string;
  /**
   * The session's lineage: the handle it had when first created, kept across `regenerate()`
   * (a new lineage starts when the bound user changes). `listSessions` names a session by it
   * and revocation deletes every record of a lineage, so a regenerate in flight cannot carry
   * a revoked session over to a new ID (H2). Absent on records written before it existed:
   * the session's own handle is its lineage then. Stores persist it like any other property
   * (the store kit's `encodeMeta`/`metaObject`/`parseMeta` do).
   */
  readonly origin?: string;
  /**
   * When the user last proved who they are (epoch ms): set by `bindUser()` and
   * `markAuthenticated()`, read by `isFresh()` (re-authentication before sensitive actions).
   */
  readonly authenticatedAt?: number;
}

/** A stored session: metadata plus serialized fields. */
export interface SessionRecord {
  readonly meta: SessionMeta;
  /**
   * Field name to serialized value. Field names are namespaced by the core (`d:` for data,
   * `f:` for flash values); stores treat both names and values as opaque strings.
   */
  readonly fields: Readonly<Record<string, string>>;
}

/** What a commit changes: new metadata, fields to set, fields to delete. */
export interface SessionPatch {
  /** The whole metadata, replacing what is stored. */
  readonly meta: SessionMeta;
  /** Fields to add or overwrite. */
  readonly set: Readonly<Record<string, string>>;
  /** Fields to remove. */
  readonly delete: readonly string[];
}

/** Options of {@link SessionStore.write}. */
export interface SessionWriteOptions {
  /**
   * `create`: the key must not exist (a new session). `update`: the key must exist, so a
   * commit that races a `destroy()` never brings the session back (S21).
   */
  readonly mode: 'create' | 'update';
  /**
   * When the record may be dropped (epoch ms). The core enforces expiry itself from
   * `meta` (S17); this is the store's garbage collection, refreshed on every write (S18).
   */
  readonly expiresAt: number;
}

/** `ok`: applied. `conflict`: refused because of `mode` (exists on create, missing on update). */
export type SessionWriteOutcome = 'ok' | 'conflict';

/**
 * A session store. Implement `load`, `write` and `delete`; the rest is optional.
 *
 * Requirements the conformance suite checks:
 * - `write` applies a patch atomically with respect to other writes to the same key: two
 *   patches touching different fields both survive.
 * - `write` honours `mode` (no resurrection after `delete`).
 * - A record is not returned by `load` after its `expiresAt`, as far as the backend allows.
 * - Errors are thrown (the core wraps them in a redacted `SessionStoreError`), never turned
 *   into "not found".
 */
export interface SessionStore {
  /** A short name for errors and events, e.g. `memory` or `upstash`. */
  readonly name: string;
  /** Returns the record, or `undefined` when there is none. Must not create anything. */
  load(key: string): Promise<SessionRecord | undefined>;
  /** Applies a patch; see {@link SessionWriteOptions.mode}. */
  write(
    key: string,
    patch: SessionPatch,
    options: SessionWriteOptions,
  ): Promise<SessionWriteOutcome>;
  /**
   * Deletes the record. Deleting a missing key is not an error. Resolves to whether a record
   * existed (`undefined` when the backend cannot tell, taken as "existed"): `regenerate()` uses
   * it so that a request in flight cannot carry a session revoked meanwhile over to a new ID.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: stores written before this answer existed return Promise<void>, and must still type-check.
  delete(key: string): Promise<boolean | undefined | void>;
  /**
   * Optional: refreshes metadata and expiry without touching fields, when the backend can do
   * that more cheaply than a `write` with an empty patch. Must behave like `mode: 'update'`.
   */
  touch?(
    key: string,
    meta: SessionMeta,
    options: { readonly expiresAt: number },
  ): Promise<SessionWriteOutcome>;
  /**
   * Optional per-user index: the keys and metadata of the sessions whose `meta.userId` is
   * `userId`. A store that implements it keeps the index in step with `write` (a session joins
   * its user's index when written with a `userId`, and leaves the old one if that changes) and
   * with `delete` (including deletes of expired records). Expired entries may still be
   * returned; the core filters them by timestamps. Enables `listSessions` and
   * `revokeAllSessions` on the manager.
   */
  listUserSessions?(userId: string): Promise<ReadonlyArray<UserSessionEntry>>;
}

/** One entry of a per-user index. */
export interface UserSessionEntry {
  /** The session's store key. */
  readonly key: string;
  readonly meta: SessionMeta;
}

/** What {@link CookieSessionStore.unseal} found in a cookie. */
export interface UnsealedSession {
  readonly record: SessionRecord;
  /** Opened with an older key: the core re-seals it with the newest on this response. */
  readonly stale: boolean;
}

/**
 * A stateless store: the whole session is sealed into the cookie, nothing is kept on the
 * server (Flask's default session, iron-session's model). The core calls it instead of
 * signing an ID: it re-seals the record whenever it changes and sends it as the cookie.
 *
 * Such a store cannot revoke a session before it expires: a copy of an old cookie keeps
 * working until its expiry. Choose a server-side store when that matters.
 */
export interface CookieSessionStore {
  /** A short name for errors and events, e.g. `cookie`. */
  readonly name: string;
  /** Marks the store as stateless. */
  readonly kind: 'cookie';
  /**
   * Opens a cookie value. `undefined` for anything this store did not seal (tampered,
   * truncated, foreign, sealed with an unknown key). Must not throw for bad input.
   */
  unseal(value: string): Promise<UnsealedSession | undefined>;
  /** Seals a whole record into a cookie value (cookie-safe characters only). */
  seal(record: SessionRecord, options: { readonly expiresAt: number }): Promise<string>;
}

/** Any store the core accepts. */
export type AnySessionStore = SessionStore | CookieSessionStore;

/** Whether a store keeps sessions in the cookie rather than on the server. */
export function isCookieSessionStore(store: AnySessionStore): store is CookieSessionStore {
  return (store as Partial<CookieSessionStore>).kind === 'cookie';
}
