import { SessionConfigError } from '@fetch-session/core/errors';
import { isSqlIdentifier, type TableName, tableName } from '@fetch-session/sql-core';

/**
 * Checks the `table` option: letters, digits and `_`, not starting with a digit, at most 63
 * characters. Anything else is a `SessionConfigError`: the name is spliced into SQL text, so
 * it must never come from anywhere but this check.
 */
export function parseTableName(value: unknown): TableName {
  if (typeof value !== 'string' || !isSqlIdentifier(value) || /^sqlite_/i.test(value)) {
    throw new SessionConfigError(
      'table',
      'must be a table name such as `sessions`: letters, digits and `_`, not starting with a digit or `sqlite_`, at most 63 characters',
    );
  }
  return tableName([value], value);
}
