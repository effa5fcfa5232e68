import { SessionConfigError } from '@fetch-session/core/errors';
import type { SqlDriver, TableName } from '@fetch-session/sql-core';
import { REQUIRED_COLUMNS, type Statements } from './statements.js';

/**
 * Checks that the table exists with the columns the store needs, in one statement. A missing
 * table or column is a `SessionConfigError` naming it and saying how to fix it.
 */
export async function checkSchema(
  driver: SqlDriver,
  table: TableName,
  sql: Statements,
): Promise<void> {
  const columns = new Set((await driver.all(sql.columns, [table.name])).map((row) => row.name));
  if (columns.size === 0) {
    throw new SessionConfigError(
      'table',
      `table "${table.name}" does not exist: create it with \`await store.migrate()\` or run the package's schema.sql`,
    );
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!columns.has(name)) {
      throw new SessionConfigError(
        'table',
        `table "${table.name}" has no column "${name}": see the package's schema.sql`,
      );
    }
  }
}
