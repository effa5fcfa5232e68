import type { SqlDriver, SqlValue } from '@fetch-session/sql-core';
import type { QueryFunction } from './client.js';

/** Every value travels as text (epoch ms as its digits), cast by the statement where needed. */
const asText = (value: SqlValue): string | null =>
  typeof value === 'number' ? String(value) : value;

/** The store's statements over a query function: one call per statement. */
export function queryDriver(query: QueryFunction): SqlDriver {
  const send = (text: string, params: readonly SqlValue[]) => query(text, params.map(asText));
  return {
    async get(text, params) {
      return (await send(text, params)).rows[0];
    },
    async all(text, params) {
      return (await send(text, params)).rows;
    },
    async run(text, params) {
      return (await send(text, params)).rowCount;
    },
  };
}
