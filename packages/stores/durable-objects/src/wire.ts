import type { SessionMeta } from '@fetch-session/core';

/**
 * What crosses the RPC boundary between the store (in the Worker) and the object. Fields travel
 * as `[name, value]` pairs, not as an object: a field named `__proto__` stays data (S30).
 * Metadata travels as the store kit's JSON text, so both ends apply the same rules.
 */

/** A stored session as the object returns it. */
export interface WireRecord {
  /** `encodeMeta` text. */
  readonly meta: string;
  readonly fields: ReadonlyArray<readonly string[]>;
}

/** One write (a `write` or a `touch`), applied in one storage transaction. */
export interface WireWrite {
  readonly mode: 'create' | 'update';
  readonly meta: SessionMeta;
  readonly set: ReadonlyArray<readonly string[]>;
  readonly delete: readonly string[];
  /** epoch ms or `Infinity`. */
  readonly expiresAt: number;
  /** The store's clock (epoch ms): expiry is decided on it, like every store's. */
  readonly now: number;
  /**
   * The user whose index already lists this session (the store added the entry first). A write
   * that binds the session to another user is refused with `unindexed`, so a live bound session
   * is never missing from its user's index.
   */
  readonly indexedUser?: string | undefined;
}

/** The answer to a {@link WireWrite}. */
export interface WireWriteAnswer {
  /** `unindexed`: not applied; add the entry for `meta.userId`, then write again. */
  readonly outcome: 'ok' | 'conflict' | 'unindexed';
  /** The user the session belonged to before, when this write changed it. */
  readonly previousUser?: string;
}

/** The answer to a delete. */
export interface WireDeleteAnswer {
  readonly existed: boolean;
  /** The user the deleted session belonged to, whose index entry goes next. */
  readonly user?: string;
}
