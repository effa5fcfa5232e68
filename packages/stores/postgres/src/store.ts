import { createSqlStore, resolveSqlOptions, type SqlSessionStore } from '@fetch-session/sql-core';
import { resolveQuery } from './client.js';
import type { PostgresStoreOptions } from './options.js';
import { queryDriver } from './query-driver.js';
import { checkSchema } from './schema.js';
import { schemaStatements, statements } from './statements.js';
import { parseTableName } from './table-name.js';

export type { SweepOptions } from '@fetch-session/sql-core';

/**
 * A `SessionStore` on PostgreSQL, with its schema and expiry tools: `touch` and
 * `listUserSessions` in one statement each, `sweepExpired` in batches of 1000 by default,
 * `migrate` and `checkSchema`.
 */
export interface PostgresStore extends SqlSessionStore {}

/**
 * Creates a PostgreSQL store over your own client (`postgres` or `pg`). Options are checked
 * here: a bad one throws `SessionConfigError` naming it.
 *
 * One row per session: `meta` and `fields` as `jsonb`, `user_id` (indexed) for the per-user
 * index, `expires_at` from the core's `expiresAt`. Every operation is one statement: a commit
 * patches the fields in place (`fields || $set - $delete`), so concurrent commits changing
 * different keys of one session all survive. Every failure is a `SessionStoreError` (adapters
 * answer 503) whose `cause` keeps only the error's name and SQLSTATE: driver messages quote
 * values.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { postgresStore } from '@fetch-session/postgres';
 * import postgres from 'postgres';
 *
 * const store = postgresStore({ sql: postgres(process.env.DATABASE_URL) });
 * await store.migrate(); // or run schema.sql once
 * const sessions = createSessionManager({ store, secrets: [process.env.SESSION_SECRET] });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const settings = resolveSqlOptions(options);
  const query = resolveQuery(options);
  const table = parseTableName(settings.table);
  const sql = statements(table);
  return createSqlStore(
    {
      name: 'postgres',
      driver: queryDriver(query),
      statements: sql,
      schema: schemaStatements(table),
      checkSchema: () => checkSchema(query, table, sql),
      sweepBatchSize: 1000,
    },
    settings,
  );
}
