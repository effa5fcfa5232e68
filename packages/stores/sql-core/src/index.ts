/**
 * The SQL session-store logic shared by `@fetch-session/postgres` and `@fetch-session/sqlite`
 * (better-sqlite3, bun:sqlite, D1): the row and record mapping, the load, commit, delete, list
 * and sweep flow over a dialect's statements, the shared options and the table-name check.
 * Internal: use one of those two packages.
 * @module
 */
export type { SqlDriver, SqlRow, SqlValue } from './driver.js';
export { type ResolvedSqlOptions, resolveSqlOptions, type SqlStoreOptions } from './options.js';
export { bind, type SqlStatement, type SqlStatements } from './statements.js';
export {
  createSqlStore,
  type SqlDialect,
  type SqlSessionStore,
  type SweepOptions,
} from './store.js';
export { isSqlIdentifier, type TableName, tableName } from './table-name.js';
