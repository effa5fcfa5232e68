/**
 * The PostgreSQL session store: one row per session, one statement per load and per commit,
 * atomic per-key patches on a `jsonb` column, a per-user index on `user_id`, expiry on
 * `expires_at` with a sweep you schedule.
 * @module
 */
export type { PgClient, PostgresJsClient, QueryFunction, QueryResult } from './client.js';
export type { PostgresStoreOptions } from './options.js';
export { schemaSql } from './statements.js';
export { type PostgresStore, postgresStore, type SweepOptions } from './store.js';
export { type SweeperOptions, startSweeper } from './sweeper.js';
