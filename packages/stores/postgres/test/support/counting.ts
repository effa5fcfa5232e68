import type { QueryFunction } from '@fetch-session/postgres';
import type postgres from 'postgres';

/** A query function over a `postgres` client that records every statement's first word. */
export function countingQuery(sql: postgres.Sql): { query: QueryFunction; take(): string[] } {
  let seen: string[] = [];
  return {
    query: async (text, params) => {
      seen.push(/^\w+/.exec(text)?.[0] ?? text);
      const rows = await sql.unsafe(text, params as never[], { prepare: true });
      return { rows: Array.from(rows), rowCount: rows.count };
    },
    take: () => {
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}
