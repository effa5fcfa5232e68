import { SessionConfigError } from '@fetch-session/core/errors';

/** Options shared by `sqliteStore` and `d1Store`. */
export interface SqlStoreOptions {
  /**
   * The table (letters, digits, `_`). Create it with `store.migrate()` or the package's
   * `schema.sql`.
   * @default 'sessions'
   */
  readonly table?: string;
  /**
   * Check the table and its columns once, before the first statement (one extra query per
   * store). A missing table or column then fails with a `SessionConfigError` naming it. Call
   * `store.checkSchema()` at startup to fail even earlier.
   * @default true
   */
  readonly checkSchema?: boolean;
  /** Clock in epoch milliseconds, for expiry; share the session manager's in tests. @default Date.now */
  readonly now?: () => number;
}

/** Checks the shared options. */
export function resolveOptions(options: SqlStoreOptions): {
  table: string;
  checkSchema: boolean;
  now: () => number;
} {
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
