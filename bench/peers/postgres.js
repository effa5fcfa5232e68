/**
 * A throwaway PostgreSQL server for the benchmarks: the Postgres package's test launcher
 * (packages/stores/postgres/test/support/postgres-server.ts): `initdb` into a temporary
 * directory, `pg_ctl` on a free loopback port, `fsync=off`, run as `postgres` when we are root.
 * `PG_BIN` overrides where the server binaries are.
 */
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
