import { SessionConfigError } from '@fetch-session/core/errors';
import { isSqlIdentifier, type TableName, tableName } from '@fetch-session/sql-core';

/**
 * Checks the `table` option: `sessions` or `schema.sessions`, each part a plain identifier of
 * at most 63 characters (PostgreSQL's limit). Anything else is a `SessionConfigError`: the name
 * is spliced into SQL text, so it must never come from anywhere but this check.
 */
export function parseTableName(value: unknown, option = 'table'): TableName {
  if (typeof value !== 'string') throw new SessionConfigError(option, 'must be a string');
  const parts = value.split('.');
  if (parts.length > 2 || !parts.every(isSqlIdentifier)) {
    throw new SessionConfigError(
      option,
      'must be a table name such as `sessions` or `app.sessions`: letters, digits and `_`, not starting with a digit, at most 63 characters per part',
    );
  }
  return tableName(parts, value);
}
