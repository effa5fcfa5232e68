import type { SqlValue } from './driver.js';

/**
 * One statement of a dialect: its text and the names of the values it binds, in the order
 * its parameters (`$1, $2` or `?, ?`) take them.
 */
export interface SqlStatement<Name extends string> {
  readonly text: string;
  readonly params: readonly Name[];
}

/**
 * The statements every SQL store runs, one per operation. Times (`now`, `expiresAt`) are epoch
 * ms, `expiresAt` `NULL` for "never"; `meta` is `encodeMeta`'s JSON, `fields` and `set` a JSON
 * object of fields, `delete` a JSON array of field names.
 */
export interface SqlStatements {
  /** The live row → `meta`, `fields` (JSON text). */
  readonly load: SqlStatement<'key' | 'now'>;
  /** A new row, or one over an expired row → 1 changed row when created, 0 on a live one. */
  readonly create: SqlStatement<'key' | 'meta' | 'fields' | 'userId' | 'expiresAt' | 'now'>;
  /** The patch, on a live row only (no resurrection: S21) → 1 changed row when applied. */
  readonly update: SqlStatement<'key' | 'set' | 'delete' | 'meta' | 'userId' | 'expiresAt' | 'now'>;
  /** Metadata and expiry, on a live row only → 1 changed row when applied. */
  readonly touch: SqlStatement<'key' | 'meta' | 'userId' | 'expiresAt' | 'now'>;
  /** Deletes the row → `live`: whether the deleted row had not expired. */
  readonly delete: SqlStatement<'key' | 'now'>;
  /** The user's live rows → `key`, `meta` (JSON text). */
  readonly list: SqlStatement<'userId' | 'now'>;
  /** Deletes up to `limit` expired rows → how many it deleted. */
  readonly sweep: SqlStatement<'now' | 'limit'>;
}

/** The parameters of `statement`, each value where its name stands. */
export function bind<Name extends string>(
  statement: SqlStatement<Name>,
  values: Readonly<Record<Name, SqlValue>>,
): SqlValue[] {
  return statement.params.map((name) => values[name]);
}
