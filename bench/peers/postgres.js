/**
 * A throwaway PostgreSQL server for the benchmarks: the Postgres package's test launcher
 * (packages/stores/postgres/test/support/postgres-server.ts): `initdb` into a temporary
 * directory, `pg_ctl` on a free loopback port, `fsync=off`, run as `postgres` when we are root.
 * `PG_BIN` overrides where the server binaries are.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';
import { loadTypeScript } from './load-ts.js';

const SOURCE = new URL(
  '../../packages/stores/postgres/test/support/postgres-server.ts',
  import.meta.url,
);

/** @returns {Promise<{ url: string, port: number, pid: () => number | undefined, destroy: () => Promise<void> }>} */
export async function startPostgresServer() {
  const { startPostgresServer: start } = await loadTypeScript(SOURCE);
  return start();
}

/** Creates connect-pg-simple's table from the SQL file it ships (its documented setup). */
export async function createConnectPgSimpleTable(url) {
  const require = createRequire(import.meta.url);
  const file = require.resolve('connect-pg-simple/table.sql');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(await readFile(file, 'utf8'));
  } finally {
    await client.end();
  }
}
