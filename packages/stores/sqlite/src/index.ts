/**
 * Session stores on SQLite (`better-sqlite3`, `bun:sqlite`) and Cloudflare D1: one row per
 * session, one statement per load and per commit, atomic per-key patches on a JSON column, a
 * per-user index on `user_id`, expiry on `expires_at` with a sweep you schedule.
 * @module
 */

export type { SqlSessionStore, SqlStoreOptions, SweepOptions } from '@fetch-session/sql-core';
export type {
  D1Database,
  D1PreparedStatement,
  SqlValue,
  SyncSqliteDatabase,
  SyncSqliteStatement,
} from './driver.js';
export { schemaSql } from './statements.js';
export { type D1StoreOptions, d1Store, type SqliteStoreOptions, sqliteStore } from './stores.js';
