import { SessionConfigError } from '@fetch-session/core/errors';

/** What one statement returned: its rows and how many rows it changed. */
export interface QueryResult {
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  readonly rowCount: number;
}

/**
 * Runs one parameterized statement. Every value travels as a parameter (`$1`, `$2`, ...); the
 * SQL text holds nothing but the store's own statements and the checked table name.
 */
export type QueryFunction = (
  text: string,
  params: ReadonlyArray<string | null>,
) => Promise<QueryResult>;

/** The part of a `postgres` (porsager) client the store calls: `sql.unsafe(text, params)`. */
export interface PostgresJsClient {
  unsafe(
    text: string,
    params?: never[],
    options?: { prepare?: boolean },
  ): PromiseLike<ArrayLike<unknown> & { readonly count: number }>;
}

/**
 * The part of a `pg` `Pool` (or `Client`) the store calls: `pool.query({ name, text, values })`,
 * a named statement.
 */
export interface PgClient {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * One name per distinct statement text, shared by every pool in the process: `pg` parses and
 * plans a named statement once per connection and reuses it, as postgres.js does with
 * `prepare: true`. Unnamed, PostgreSQL parsed and planned the store's write (a `jsonb` patch)
 * on every request: about three times the database CPU per write (`npm run bench:databases`).
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `fetch_session_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/** A query function over a `postgres` client; statements are prepared once per connection. */
export function postgresJsQuery(sql: PostgresJsClient): QueryFunction {
  return async (text, params) => {
    const result = await sql.unsafe(text, params as never[], { prepare: true });
    return {
      rows: Array.from(result) as Array<Record<string, unknown>>,
      rowCount: result.count,
    };
  };
}

/** A query function over a `pg` pool or client; statements are prepared once per connection. */
export function pgQuery(pool: PgClient): QueryFunction {
  return async (text, params) => {
    const result = await pool.query({ name: statementName(text), text, values: [...params] });
    return { rows: result.rows as Array<Record<string, unknown>>, rowCount: result.rowCount ?? 0 };
  };
}

/** The client options: exactly one of `sql`, `pool` or `query`. */
export interface ClientOptions {
  readonly sql?: PostgresJsClient | undefined;
  readonly pool?: PgClient | undefined;
  readonly query?: QueryFunction | undefined;
}

/** Checks that exactly one client is given and returns its query function. */
export function resolveQuery(options: ClientOptions): QueryFunction {
  const given = (['sql', 'pool', 'query'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) {
    throw new SessionConfigError(
      given[1] ?? 'sql',
      given.length === 0
        ? 'give a client: `sql` (a `postgres` client), `pool` (a `pg` Pool) or `query`'
        : `give one client, not both \`${given[0]}\` and \`${given[1]}\``,
    );
  }
  const { sql, pool, query } = options;
  if (sql !== undefined) {
    if (typeof (sql as Partial<PostgresJsClient>).unsafe !== 'function') {
      throw new SessionConfigError('sql', 'must be a `postgres` client: `postgres(url)`');
    }
    return postgresJsQuery(sql);
  }
  if (pool !== undefined) {
    if (typeof (pool as Partial<PgClient>).query !== 'function') {
      throw new SessionConfigError(
        'pool',
        'must be a `pg` Pool: `new pg.Pool({ connectionString })`',
      );
    }
    return pgQuery(pool);
  }
  if (typeof query !== 'function') {
    throw new SessionConfigError(
      'query',
      'must be a function (text, params) => { rows, rowCount }',
    );
  }
  return query;
}
