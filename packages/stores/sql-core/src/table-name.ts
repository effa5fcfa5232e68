/** A plain SQL identifier: the only shape a table name may take (it is never a parameter). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A table name checked and quoted for SQL text, with its parts for index names and messages. */
export interface TableName {
  /** `"schema"."table"` or `"table"`, safe to put in SQL text. */
  readonly quoted: string;
  /** The bare table name, for index names and catalog lookups. */
  readonly name: string;
  /** The name as the user gave it, for error messages. */
  readonly display: string;
}

/**
 * Whether `part` is a plain identifier: letters, digits and `_`, not starting with a digit, at
 * most 63 characters (PostgreSQL's limit). Each dialect adds its own rules (`schema.table`,
 * names the database reserves) and its own message.
 */
export function isSqlIdentifier(part: string): boolean {
  return IDENTIFIER.test(part);
}

/** Identifiers that passed {@link isSqlIdentifier}, quoted and joined into a table name. */
export function tableName(parts: readonly string[], display: string): TableName {
  return {
    quoted: parts.map((part) => `"${part}"`).join('.'),
    name: parts[parts.length - 1] as string,
    display,
  };
}
