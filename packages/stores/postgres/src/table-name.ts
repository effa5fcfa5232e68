import { SessionConfigError } from '@fetch-session/core/errors';

/** A plain SQL identifier: the only shape a table name may take (it is never a parameter). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A table name checked and quoted for SQL text, and its parts for catalog lookups. */
export interface TableName {
  /** `"schema"."table"` or `"table"`, safe to put in SQL text. */
  readonly quoted: string;
  /** The bare table name, for index names. */
  readonly table: string;
  /** The name as the user gave it, for error messages. */
  readonly display: string;
}

/**
 * Checks the `table` option: `sessions` or `schema.sessions`, each part a plain identifier of
 * at most 63 characters (PostgreSQL's limit). Anything else is a `SessionConfigError`: the name
 * is spliced into SQL text, so it must never come from anywhere but this check.
 */
export function parseTableName(value: unknown, option = 'table'): TableName {
  if (typeof value !== 'string') throw new SessionConfigError(option, 'must be a string');
  const parts = value.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new SessionConfigError(
      option,
      'must be a table name such as `sessions` or `app.sessions`: letters, digits and `_`, not starting with a digit, at most 63 characters per part',
    );
  }
  return {
    quoted: parts.map((part) => `"${part}"`).join('.'),
    table: parts[parts.length - 1] as string,
    display: value,
  };
}
