import { d1Store, schemaSql, sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import * as sqlChecks from '../../sql-core/test/support/sql-store-checks.js';

const database = new Database(':memory:');
afterAll(() => database.close());

describe('schema', () => {
  it('ships schema.sql as exactly what migrate() runs for the default table', () =>
    sqlChecks.expectSchemaFileMatches(import.meta.url, schemaSql()));

  it('migrate() creates a working table and is idempotent; checkSchema() then passes', () =>
    sqlChecks.expectMigrateWorks(sqliteStore({ database, table: 'migrated' })));

  it('names a missing table: checkSchema() throws SessionConfigError, operations a SessionStoreError caused by it', async () => {
    await sqlChecks.expectMissingTableNamed(
      () => sqliteStore({ database, table: 'missing' }),
      'missing',
    );
  });

  it('names a missing column', async () => {
    database.exec(
      'CREATE TABLE nocol (key TEXT PRIMARY KEY, meta TEXT, fields TEXT, expires_at INTEGER)',
    );
    await expect(sqliteStore({ database, table: 'nocol' }).checkSchema()).rejects.toThrow(
      'table "nocol" has no column "user_id"',
    );
  });

  it("finds a user's sessions through the user_id index and sweeps through the expires_at index", async () => {
    await sqliteStore({ database, table: 'planned' }).migrate();
    const { statements } = await import('../src/statements.js');
    const sql = statements({ quoted: '"planned"', name: 'planned', display: 'planned' });
    const plan = (text: string, ...params: unknown[]) =>
      database
        .prepare(`EXPLAIN QUERY PLAN ${text}`)
        .all(...params)
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
    expect(plan(sql.list.text, 'ada', 0)).toContain('planned_user_id_idx');
    expect(plan(sql.sweep.text, 0, 10)).toContain('planned_expires_at_idx');
  });
});

describe('options', () => {
  it.each([
    'sessions; DROP TABLE x',
    '"quoted"',
    'main.sessions',
    '1sessions',
    'sqlite_master',
    'x'.repeat(64),
  ])('refuses the table name %j (SessionConfigError naming `table`)', (table) => {
    sqlChecks.expectTableRefused(() => sqliteStore({ database, table }));
  });

  it('needs a database', () => {
    expect(() => sqliteStore({} as never)).toThrow(/`database`/);
    expect(() => sqliteStore({ database: {} as never })).toThrow(/better-sqlite3/);
    expect(() => d1Store({ database: undefined as never })).toThrow(/D1 binding/);
  });

  it('checks now and checkSchema', () => {
    sqlChecks.expectClockAndCheckOptions((options) => sqliteStore({ database, ...options }));
  });
});
