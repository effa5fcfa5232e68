/**
 * The three implementations of the driver the store's SQL runs through (`SqlDriver`, from
 * `@fetch-session/sql-core`): the synchronous `better-sqlite3` and `bun:sqlite` (same statement
 * API), and the asynchronous Workers D1 binding.
 * @module
 */

import type { SqlDriver, SqlRow, SqlValue } from '@fetch-session/sql-core';

export type { SqlValue };

/**
 * The part of a `better-sqlite3` or `bun:sqlite` `Database` the store calls: `prepare`, with
 * statements that `get`, `all` and `run` with positional parameters.
 */
export interface SyncSqliteDatabase {
  prepare(text: string): SyncSqliteStatement;
}

/** A prepared statement of `better-sqlite3` or `bun:sqlite`. */
export interface SyncSqliteStatement {
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
  run(...params: SqlValue[]): { readonly changes: number | bigint };
}

/** The part of a D1 binding (`env.DB`) the store calls. */
export interface D1Database {
  prepare(text: string): D1PreparedStatement;
}

/** A D1 prepared statement. */
export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first(): Promise<unknown>;
  all(): Promise<{ readonly results?: readonly unknown[] }>;
  run(): Promise<{ readonly meta?: { readonly changes?: number } }>;
}

/**
 * A driver over a synchronous database. Statements are prepared once and reused (preparing
 * is the expensive part). Each call runs to completion before it returns: SQLite applies it
 * whole, so patches never interleave.
 */
export function syncDriver(database: SyncSqliteDatabase): SqlDriver {
  const prepared = new Map<string, SyncSqliteStatement>();
  const statement = (text: string): SyncSqliteStatement => {
    let found = prepared.get(text);
    if (found === undefined) {
      found = database.prepare(text);
      prepared.set(text, found);
    }
    return found;
  };
  return {
    // `async` so that a throw becomes a rejection, like every other store.
    async get(text, params) {
      // bun:sqlite answers `null` for no row, better-sqlite3 `undefined`.
      return (statement(text).get(...params) as SqlRow | null | undefined) ?? undefined;
    },
    async all(text, params) {
      return statement(text).all(...params) as SqlRow[];
    },
    async run(text, params) {
      return Number(statement(text).run(...params).changes);
    },
  };
}

/** A driver over a D1 binding; each call is one request to D1. */
export function d1Driver(database: D1Database): SqlDriver {
  return {
    async get(text, params) {
      return (
        ((await database
          .prepare(text)
          .bind(...params)
          .first()) as SqlRow | null) ?? undefined
      );
    },
    async all(text, params) {
      const { results = [] } = await database
        .prepare(text)
        .bind(...params)
        .all();
      return results as SqlRow[];
    },
    async run(text, params) {
      const { meta } = await database
        .prepare(text)
        .bind(...params)
        .run();
      return meta?.changes ?? 0;
    },
  };
}
