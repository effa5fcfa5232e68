import { SessionConfigError } from '@fetch-session/core/errors';
import type { ClientOptions } from './client.js';

/**
 * Options of `postgresStore`. Give exactly one client: `sql`, `pool` or `query`.
 */
export interface PostgresStoreOptions extends ClientOptions {
  /**
   * A `postgres` (porsager) client, `postgres(process.env.DATABASE_URL)`. The store's
   * statements are prepared once per connection (`sql.unsafe(text, params, { prepare: true })`).
   * @example `postgresStore({ sql: postgres(process.env.DATABASE_URL) })`
   */
  readonly sql?: ClientOptions['sql'];
  /**
   * A `pg` Pool (a pool rather than one `Client`: a pool replaces a connection that dropped,
   * a `Client` stays broken).
   * @example `postgresStore({ pool: new pg.Pool({ connectionString }) })`
   */
  readonly pool?: ClientOptions['pool'];
  /**
   * Any other driver: a function that runs one parameterized statement (`$1`, `$2`, ...) and
   * resolves to `{ rows, rowCount }`.
   */
  readonly query?: ClientOptions['query'];
  /**
   * The table, `sessions` or `schema.sessions` (letters, digits, `_`). Create it with
   * `store.migrate()` or the package's `schema.sql`.
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

/** Checks the options other than the client. */
export function resolveOptions(options: PostgresStoreOptions): {
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
