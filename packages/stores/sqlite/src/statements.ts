/**
 * The store's SQL (one copy for SQLite, bun:sqlite and D1), one statement per operation,
 * built once per store from the checked table name (the only thing spliced into the text;
 * every value is a `?` parameter, bound in the order of `params`).
 *
 * Times are epoch ms from the core's clock, in an INTEGER column; `NULL` never expires.
 * @module
 */
import type { SqlStatements, TableName } from '@fetch-session/sql-core';
import { parseTableName } from './table-name.js';

/** The row has not expired at the parameter. */
const LIVE = '(expires_at IS NULL OR expires_at > ?)';

export interface Statements extends SqlStatements {
  /** table name → name of each column */
  readonly columns: string;
}

export function statements(table: TableName): Statements {
  const t = table.quoted;
  return {
    load: {
      text: `SELECT meta, fields FROM ${t} WHERE key = ? AND ${LIVE}`,
      params: ['key', 'now'],
    },
    // A create never overwrites a live row; it may take over an expired one that no sweep
    // has removed yet (no change on conflict either way).
    create: {
      text: `INSERT INTO ${t} (key, meta, fields, user_id, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET meta = excluded.meta, fields = excluded.fields, user_id = excluded.user_id, expires_at = excluded.expires_at WHERE ${t}.expires_at IS NOT NULL AND ${t}.expires_at <= ?`,
      params: ['key', 'meta', 'fields', 'userId', 'expiresAt', 'now'],
    },
    // One statement: merge the set fields into the stored object, then drop the deleted
    // names (rebuilt through json_each, so no field name is ever spliced into a JSON path).
    // SQLite runs one write at a time, so concurrent patches of different fields all
    // survive. A missing or expired row is not updated: no resurrection (S21).
    update: {
      text: `UPDATE ${t} SET fields = (SELECT json_group_object(patched.key, patched.value) FROM json_each(json_patch(fields, ?)) AS patched WHERE patched.key NOT IN (SELECT value FROM json_each(?))), meta = ?, user_id = ?, expires_at = ? WHERE key = ? AND ${LIVE}`,
      params: ['set', 'delete', 'meta', 'userId', 'expiresAt', 'key', 'now'],
    },
    touch: {
      text: `UPDATE ${t} SET meta = ?, user_id = ?, expires_at = ? WHERE key = ? AND ${LIVE}`,
      params: ['meta', 'userId', 'expiresAt', 'key', 'now'],
    },
    delete: {
      text: `DELETE FROM ${t} WHERE key = ? RETURNING ${LIVE} AS live`,
      params: ['key', 'now'],
    },
    list: {
      text: `SELECT key, meta FROM ${t} WHERE user_id = ? AND ${LIVE}`,
      params: ['userId', 'now'],
    },
    sweep: {
      text: `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at <= ? LIMIT ?)`,
      params: ['now', 'limit'],
    },
    columns: 'SELECT name FROM pragma_table_info(?)',
  };
}

/** The statements that create the table and its indexes, each run on its own; idempotent. */
export function schemaStatements(table: TableName): string[] {
  const t = table.quoted;
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  key TEXT PRIMARY KEY NOT NULL,
  meta TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '{}',
  user_id TEXT,
  expires_at INTEGER
)`,
    `CREATE INDEX IF NOT EXISTS "${table.name}_user_id_idx" ON ${t} (user_id) WHERE user_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "${table.name}_expires_at_idx" ON ${t} (expires_at) WHERE expires_at IS NOT NULL`,
  ];
}

/** The columns the store needs. */
export const REQUIRED_COLUMNS: readonly string[] = [
  'key',
  'meta',
  'fields',
  'user_id',
  'expires_at',
];

/**
 * The schema as one SQL script (what the package's `schema.sql` holds for the default
 * table), for migration tools such as `wrangler d1 migrations`.
 *
 * @example
 * ```ts
 * await fs.writeFile('migrations/0001_sessions.sql', schemaSql('sessions'));
 * ```
 */
export function schemaSql(table = 'sessions'): string {
  return `${schemaStatements(parseTableName(table)).join(';\n\n')};\n`;
}
