import { SessionConfigError } from '@fetch-session/core/errors';
import type { TableName } from '@fetch-session/sql-core';
import type { QueryFunction } from './client.js';
import { REQUIRED_COLUMNS, type Statements } from './statements.js';

/**
 * Checks that the table exists with the columns the store needs, in one statement. A missing
 * table, a missing column or a column of another type is a `SessionConfigError` naming it and
 * saying how to fix it; a database that cannot be reached throws the driver's error.
 */
export async function checkSchema(
  query: QueryFunction,
  table: TableName,
  sql: Statements,
): Promise<void> {
  const { rows } = await query(sql.columns, [table.quoted]);
  const row = rows[0];
  if (row?.found !== true) {
    throw new SessionConfigError(
      'table',
      `table "${table.display}" does not exist: create it with \`await store.migrate()\` or run the package's schema.sql`,
    );
  }
  const columns = JSON.parse(String(row.columns)) as Record<string, string>;
  for (const [name, type] of Object.entries(REQUIRED_COLUMNS)) {
    if (columns[name] === undefined) {
      throw new SessionConfigError(
        'table',
        `table "${table.display}" has no column "${name}" (${type}): see the package's schema.sql`,
      );
    }
    if (columns[name] !== type) {
      throw new SessionConfigError(
        'table',
        `column "${name}" of table "${table.display}" is ${columns[name]}, not ${type}: see the package's schema.sql`,
      );
    }
  }
}
