import type { SqlStoreOptions } from '@fetch-session/sql-core';
import type { ClientOptions } from './client.js';

/**
 * Options of `postgresStore`. Give exactly one client: `sql`, `pool` or `query`.
 */
export interface PostgresStoreOptions extends ClientOptions, SqlStoreOptions {
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
}
