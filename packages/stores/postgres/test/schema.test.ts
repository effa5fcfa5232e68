import { postgresStore, schemaSql } from '@fetch-session/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import * as sqlChecks from '../../sql-core/test/support/sql-store-checks.js';
import { postgresJs, uniqueTable } from './support/clients.js';

const sql = postgresJs();
afterAll(() => sql.end());

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
const later = Date.now() + 3_600_000;

describe('schema', () => {
  it('ships schema.sql as exactly what migrate() runs for the default table', () =>
    sqlChecks.expectSchemaFileMatches(import.meta.url, schemaSql()));

  it('migrate() creates a working table and is idempotent; checkSchema() then passes', () =>
    sqlChecks.expectMigrateWorks(postgresStore({ sql, table: uniqueTable('migrate') })));

  it('works in another schema (`schema.table`)', async () => {
    await sql`CREATE SCHEMA IF NOT EXISTS app`;
    const store = postgresStore({ sql, table: `app.${uniqueTable('schema')}` });
    await store.migrate();
    await store.checkSchema();
    expect(
      await store.write('k', { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: later }),
    ).toBe('ok');
  });

  it('names a missing table: checkSchema() throws SessionConfigError, operations a SessionStoreError caused by it', async () => {
    const table = uniqueTable('missing');
    const checked = await sqlChecks.expectMissingTableNamed(
      () => postgresStore({ sql, table }),
      table,
    );
    expect(checked.message).toContain('migrate()');
  });

  it('names a missing column and a column of the wrong type', async () => {
    const noColumn = uniqueTable('nocol');
    await sql.unsafe(
      `CREATE TABLE "${noColumn}" (key text PRIMARY KEY, meta jsonb, fields jsonb, expires_at timestamptz)`,
    );
    await expect(postgresStore({ sql, table: noColumn }).checkSchema()).rejects.toThrow(
      `table "${noColumn}" has no column "user_id" (text)`,
    );
    const wrongType = uniqueTable('wrongtype');
    await sql.unsafe(
      `CREATE TABLE "${wrongType}" (key text PRIMARY KEY, meta jsonb, fields text, user_id text, expires_at timestamptz)`,
    );
    await expect(postgresStore({ sql, table: wrongType }).checkSchema()).rejects.toThrow(
      `column "fields" of table "${wrongType}" is text, not jsonb`,
    );
  });

  it('checks the schema once per store, not per operation', async () => {
    const table = uniqueTable('once');
    await postgresStore({ sql, table }).migrate();
    const texts: string[] = [];
    const store = postgresStore({
      table,
      query: async (text, params) => {
        texts.push(text);
        const rows = await sql.unsafe(text, params as never[]);
        return { rows: Array.from(rows), rowCount: rows.count };
      },
    });
    await Promise.all([store.load('a'), store.load('b')]);
    await store.load('c');
    expect(texts.filter((text) => text.includes('pg_attribute'))).toHaveLength(1);
    expect(texts).toHaveLength(4);
  });
});

describe('options', () => {
  it.each(['sessions; DROP TABLE x', '"quoted"', 'a.b.c', '1sessions', 'x'.repeat(64)])(
    'refuses the table name %j (SessionConfigError naming `table`)',
    (table) => {
      sqlChecks.expectTableRefused(() => postgresStore({ sql, table }));
    },
  );

  it('needs exactly one client', () => {
    expect(() => postgresStore({})).toThrow(/give a client/);
    expect(() => postgresStore({ sql, query: async () => ({ rows: [], rowCount: 0 }) })).toThrow(
      /not both `sql` and `query`/,
    );
    expect(() => postgresStore({ sql: {} as never })).toThrow(/`sql`/);
    expect(() => postgresStore({ pool: {} as never })).toThrow(/`pool`/);
  });

  it('checks now and checkSchema', () => {
    sqlChecks.expectClockAndCheckOptions((options) => postgresStore({ sql, ...options }));
  });
});
