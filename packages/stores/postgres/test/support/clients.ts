import pg from 'pg';
import postgres from 'postgres';
import { inject } from 'vitest';

/** The clients the store supports, on the shared test server. */
export type Driver = 'postgres' | 'pg';

/** A `postgres` client on `url` (default: the shared server), quiet about NOTICEs. */
export function postgresJs(url: string = inject('postgresUrl'), max = 10): postgres.Sql {
  return postgres(url, { max, onnotice: () => {}, connect_timeout: 2 });
}

/** A `pg` pool on `url` (default: the shared server). */
export function pgPool(url: string = inject('postgresUrl'), max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => {}); // idle clients cut by a server stop: the pool replaces them
  return pool;
}

let tables = 0;
/** A table name no other test file uses. */
export function uniqueTable(label: string): string {
  return `t_${label}_${process.pid}_${++tables}`;
}
