import { SessionConfigError } from '@fetch-session/core/errors';

/** A plain SQL identifier: the only shape a table name may take (it is never a parameter). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A table name checked and quoted for SQL text. */
export interface TableName {
  /** `"table"`, safe to put in SQL text. */
  readonly quoted: string;
  /** The bare name, for index names, `pragma_table_info` and messages. */
  readonly name: string;
}

/**
 * Checks the `table` option: letters, digits and `_`, not starting with a digit, at most 63
 * characters. Anything else is a `SessionConfigError`: the name is spliced into SQL text, so
 * it must never come from anywhere but this check.
 */
export function parseTableName(value: unknown): TableName {
  if (typeof value !== 'string' || !IDENTIFIER.test(value) || /^sqlite_/i.test(value)) {
    throw new SessionConfigError(
      'table',
      'must be a table name such as `sessions`: letters, digits and `_`, not starting with a digit or `sqlite_`, at most 63 characters',
    );
  }
  return { quoted: `"${value}"`, name: value };
}
