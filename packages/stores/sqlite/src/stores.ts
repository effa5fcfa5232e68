import { SessionConfigError } from '@fetch-session/core/errors';
import {
  createSqlStore,
  resolveSqlOptions,
  type SqlDriver,
  type SqlSessionStore,
  type SqlStoreOptions,
} from '@fetch-session/sql-core';
import { type D1Database, d1Driver, type SyncSqliteDatabase, syncDriver } from './driver.js';
import { checkSchema } from './schema.js';
import { schemaStatements, statements } from './statements.js';
import { parseTableName } from './table-name.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions extends SqlStoreOptions {
  /**
   * An open `better-sqlite3` or `bun:sqlite` database. Use WAL mode for a file database
   * (`db.pragma('journal_mode = WAL')`, `db.run('PRAGMA journal_mode = WAL')` on Bun), and a
   * busy timeout when several processes share it.
   */
  readonly database: SyncSqliteDatabase;
}

/** Options of {@link d1Store}. */
export interface D1StoreOptions extends SqlStoreOptions {
  /** The D1 binding, `env.DB`. */
  readonly database: D1Database;
}

/**
 * A session store on SQLite through `better-sqlite3` (Node) or `bun:sqlite` (Bun). Options
 * are checked here: a bad one throws `SessionConfigError` naming it.
 *
 * One row per session; every operation is one statement, and a commit patches the `fields`
 * JSON in place (`json_patch`, then the deleted names dropped), so concurrent commits
 * changing different keys of one session all survive.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'; // or: import { Database } from 'bun:sqlite';
 * import { sqliteStore } from '@fetch-session/sqlite';
 *
 * const store = sqliteStore({ database: new Database('sessions.db') });
 * await store.migrate();
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): SqlSessionStore {
  const database = (options as Partial<SqliteStoreOptions> | undefined)?.database;
  if (typeof (database as Partial<SyncSqliteDatabase> | undefined)?.prepare !== 'function') {
    throw new SessionConfigError(
      'database',
      'must be an open `better-sqlite3` or `bun:sqlite` Database',
    );
  }
  return sqliteDialectStore('sqlite', syncDriver(database as SyncSqliteDatabase), options);
}

/**
 * A session store on Cloudflare D1, through the Worker's binding. The same statements as
 * {@link sqliteStore}: one D1 request per load, per commit, per delete and per listing.
 *
 * @example
 * ```ts
 * import { d1Store } from '@fetch-session/sqlite';
 *
 * export default {
 *   async fetch(request, env) {
 *     const store = d1Store({ database: env.DB }); // create the table with schema.sql once
 *     // ...
 *   },
 *   async scheduled(_event, env) {
 *     await d1Store({ database: env.DB }).sweepExpired();
 *   },
 * };
 * ```
 */
export function d1Store(options: D1StoreOptions): SqlSessionStore {
  const database = (options as Partial<D1StoreOptions> | undefined)?.database;
  if (typeof (database as Partial<D1Database> | undefined)?.prepare !== 'function') {
    throw new SessionConfigError('database', 'must be a D1 binding such as `env.DB`');
  }
  return sqliteDialectStore('d1', d1Driver(database as D1Database), options);
}

/** The one store behind both: SQLite's statements and schema check over either driver. */
function sqliteDialectStore(
  name: string,
  driver: SqlDriver,
  options: SqlStoreOptions,
): SqlSessionStore {
  const settings = resolveSqlOptions(options);
  const table = parseTableName(settings.table);
  const sql = statements(table);
  return createSqlStore(
    {
      name,
      driver,
      statements: sql,
      schema: schemaStatements(table),
      checkSchema: () => checkSchema(driver, table, sql),
      sweepBatchSize: 500,
    },
    settings,
  );
}
