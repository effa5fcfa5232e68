import { SessionConfigError } from '@fetch-session/core/errors';

/** The options every SQL store takes besides its client. */
export interface SqlStoreOptions {
  /**
   * The table (letters, digits, `_`). Create it with `store.migrate()` or the package's
   * `schema.sql`.
   * @default 'sessions'
   */
  readonly table?: string;
  /**
   * Check the table and its columns once, before the first statement (one extra query per
   * store). A missing table or column then fails with a `SessionConfigError` naming it rather
   * than with the driver's error on every request. Call `store.checkSchema()` at startup to
   * fail even earlier.
   * @default true
   */
  readonly checkSchema?: boolean;
  /** Clock in epoch milliseconds, for expiry; share the session manager's in tests. @default Date.now */
  readonly now?: () => number;
}

/** The options with their defaults; the table name is still to be checked by the dialect. */
export interface ResolvedSqlOptions {
  readonly table: string;
  readonly checkSchema: boolean;
  readonly now: () => number;
}

/** Checks the options every SQL store takes; a bad one throws `SessionConfigError` naming it. */
export function resolveSqlOptions(options: SqlStoreOptions): ResolvedSqlOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'must be an object');
  }
  const { table = 'sessions', checkSchema = true, now = Date.now } = options;
  if (typeof checkSchema !== 'boolean') {
    throw new SessionConfigError('checkSchema', 'must be a boolean');
  }
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  return { table, checkSchema, now };
}
