import type { SessionMeta } from './store.js';

/** A session the request's cookie resolved to (expiry not yet checked). */
export interface PersistedSession {
  readonly cookieValue: string;
  readonly meta: SessionMeta;
  readonly fields: Readonly<Record<string, string>>;
  /** A correlation handle for events and errors; never a credential (S24). */
  readonly fingerprint: string;
  /** Verified by an older secret or key: the cookie must be re-issued with the newest. */
  readonly stale: boolean;
  /**
   * The handle that names this session's lineage in per-user lists: `meta.origin`, or the
   * record's own handle when it has none (server-side stores only).
   */
  readonly handle?: string;
}

/** What a commit changes in an existing session. */
export interface SessionChange {
  readonly meta: SessionMeta;
  readonly set: Readonly<Record<string, string>>;
  readonly deleted: readonly string[];
  /** Every field after the change (what a stateless store seals). */
  readonly fields: () => Record<string, string>;
  /** Whether any field changed (otherwise only meta and expiry move). */
  readonly fieldsChanged: boolean;
  readonly expiresAt: number;
}

/**
 * Where sessions live: by hashed ID in a server-side store, or sealed in the cookie. The
 * session state decides what to write and when; a persistence knows how.
 */
export interface Persistence {
  /** Every write changes the cookie itself (the data travels in it). */
  readonly cookieCarriesData: boolean;
  /** Resolves a cookie value. Bad or unknown cookies are `undefined`, never an error. */
  load(cookieValue: string): Promise<PersistedSession | undefined>;
  /**
   * Saves a change. Returns the cookie value that now represents the session, or `gone` when
   * the session was destroyed meanwhile (the change is dropped: no resurrection, S21).
   */
  update(session: PersistedSession, change: SessionChange): Promise<string | 'gone'>;
  /** The cookie value for an unchanged session, re-signed when it is stale. */
  currentValue(session: PersistedSession): Promise<string>;
  /**
   * Saves a new session (new visitor, after destroy, regenerate). A server-side store sets
   * `meta.origin` to the new record's own handle when `meta` carries none (a new lineage).
   */
  create(
    meta: SessionMeta,
    fields: Record<string, string>,
    expiresAt: number,
  ): Promise<PersistedSession>;
  /**
   * Deletes a session (destroy, expiry, regenerate) and forgets its cookie. Resolves to `false`
   * only when the store says nothing was there (it was deleted meanwhile).
   */
  remove(session: PersistedSession): Promise<boolean>;
}
