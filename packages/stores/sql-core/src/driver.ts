/** A bound parameter: text, a number or `NULL`. */
export type SqlValue = string | number | null;

/** A row as the driver returns it. */
export type SqlRow = Record<string, unknown>;

/**
 * Runs a store's statements: what each dialect's client is adapted to. Every value is a bound
 * parameter; the SQL text holds nothing but the store's own statements and the checked table
 * name. A boolean column may come back as `true`/`false` or as SQLite's `1`/`0`.
 */
export interface SqlDriver {
  /** The first row, or `undefined`. */
  get(text: string, params: readonly SqlValue[]): Promise<SqlRow | undefined>;
  /** Every row. */
  all(text: string, params: readonly SqlValue[]): Promise<readonly SqlRow[]>;
  /** Runs a statement that returns no rows; resolves to how many rows it changed. */
  run(text: string, params: readonly SqlValue[]): Promise<number>;
}
