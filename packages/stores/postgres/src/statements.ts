/**
 * The store's SQL, one statement per operation, built once per store from the checked table
 * name (the only thing spliced into the text; every value is a parameter, `$n` standing for
 * the n-th name in `params`).
 *
 * Times travel as epoch-ms parameters (the core's clock, so tests can move it) and are stored
 * as `timestamptz`; `NULL` means "never expires". JSON travels as text and is cast on the
 * server, so no driver's own JSON or array serialization gets involved.
 * @module
 */
import type { SqlStatements, TableName } from '@fetch-session/sql-core';
import { parseTableName } from './table-name.js';

/** Epoch ms parameter `$n` as a timestamp. */
const at = (n: number): string => `to_timestamp($${n}::float8 / 1000)`;
/** The row has not expired at the epoch-ms parameter `$n`. */
const live = (n: number): string => `(expires_at IS NULL OR expires_at > ${at(n)})`;

/** The statements of a store on one table. */
export interface Statements extends SqlStatements {
  /** $1 the quoted table name → found, columns (JSON text: name to type). */
  readonly columns: string;
}

export function statements(table: TableName): Statements {
  const t = table.quoted;
  return {
    load: {
      text: `SELECT meta::text AS meta, fields::text AS fields FROM ${t} WHERE key = $1 AND ${live(2)}`,
      params: ['key', 'now'],
    },
    // A create never overwrites a live row; it may take over an expired one that no sweep has
    // removed yet (rowCount 0 on conflict either way).
    create: {
      text: `INSERT INTO ${t} AS s (key, meta, fields, user_id, expires_at) VALUES ($1, $2::text::jsonb, $3::text::jsonb, $4, ${at(5)}) ON CONFLICT (key) DO UPDATE SET meta = excluded.meta, fields = excluded.fields, user_id = excluded.user_id, expires_at = excluded.expires_at WHERE s.expires_at IS NOT NULL AND s.expires_at <= ${at(6)}`,
      params: ['key', 'meta', 'fields', 'userId', 'expiresAt', 'now'],
    },
    // The patch is applied to the row as it is when the row lock is taken (READ COMMITTED
    // re-reads a row another transaction just updated), so concurrent patches of different
    // fields all survive. A missing or expired row is not updated: no resurrection (S21).
    update: {
      text: `UPDATE ${t} SET fields = (fields || $2::text::jsonb) - ARRAY(SELECT jsonb_array_elements_text($3::text::jsonb)), meta = $4::text::jsonb, user_id = $5, expires_at = ${at(6)} WHERE key = $1 AND ${live(7)}`,
      params: ['key', 'set', 'delete', 'meta', 'userId', 'expiresAt', 'now'],
    },
    touch: {
      text: `UPDATE ${t} SET meta = $2::text::jsonb, user_id = $3, expires_at = ${at(4)} WHERE key = $1 AND ${live(5)}`,
      params: ['key', 'meta', 'userId', 'expiresAt', 'now'],
    },
    delete: {
      text: `DELETE FROM ${t} WHERE key = $1 RETURNING ${live(2)} AS live`,
      params: ['key', 'now'],
    },
    list: {
      text: `SELECT key, meta::text AS meta FROM ${t} WHERE user_id = $1 AND ${live(2)}`,
      params: ['userId', 'now'],
    },
    sweep: {
      text: `DELETE FROM ${t} WHERE key IN (SELECT key FROM ${t} WHERE expires_at <= ${at(1)} LIMIT $2::int)`,
      params: ['now', 'limit'],
    },
    columns: `SELECT to_regclass($1) IS NOT NULL AS found, (SELECT COALESCE(json_object_agg(attname, format_type(atttypid, atttypmod)), '{}') FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped)::text AS columns`,
  };
}

/** The statements that create the table and its indexes, each run on its own; idempotent. */
export function schemaStatements(table: TableName): string[] {
  const t = table.quoted;
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  key text PRIMARY KEY,
  meta jsonb NOT NULL,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  user_id text,
  expires_at timestamptz
)`,
    `CREATE INDEX IF NOT EXISTS "${table.name}_user_id_idx" ON ${t} (user_id) WHERE user_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "${table.name}_expires_at_idx" ON ${t} (expires_at) WHERE expires_at IS NOT NULL`,
  ];
}

/** The columns the store needs, with their types as `format_type` names them. */
export const REQUIRED_COLUMNS: Readonly<Record<string, string>> = {
  key: 'text',
  meta: 'jsonb',
  fields: 'jsonb',
  user_id: 'text',
  expires_at: 'timestamp with time zone',
};

/**
 * The schema as one SQL script (what the package's `schema.sql` holds for the default table),
 * for migration tools.
 *
 * @example
 * ```ts
 * await fs.writeFile('migrations/001_sessions.sql', schemaSql('app.sessions'));
 * ```
 */
export function schemaSql(table = 'sessions'): string {
  return `${schemaStatements(parseTableName(table)).join(';\n\n')};\n`;
}
