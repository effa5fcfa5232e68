import { readFileSync } from 'node:fs';
import { SessionConfigError, SessionStoreError } from '@fetch-session/core/errors';
import { d1Store, schemaSql, sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const database = new Database(':memory:');
afterAll(() => database.close());

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
const later = Date.now() + 3_600_000;

describe('schema', () => {
  it('ships schema.sql as exactly what migrate() runs for the default table', () => {
    const file = readFileSync(new URL('../schema.sql', import.meta.url), 'utf8');
    expect(file.replace(/^--.*\n/gm, '').trim()).toBe(schemaSql().trim());
  });

  it('migrate() creates a working table and is idempotent; checkSchema() then passes', async () => {
    const store = sqliteStore({ database, table: 'migrated' });
    await store.migrate();
    await store.migrate();
    await store.checkSchema();
    expect(
      await store.write(
        'k',
        { meta, set: { 'd:a': '1' }, delete: [] },
        { mode: 'create', expiresAt: later },
      ),
    ).toBe('ok');
    expect((await store.load('k'))?.fields).toEqual({ 'd:a': '1' });
  });

  it('names a missing table: checkSchema() throws SessionConfigError, operations a SessionStoreError caused by it', async () => {
    const store = sqliteStore({ database, table: 'missing' });
    await expect(store.checkSchema()).rejects.toThrow(SessionConfigError);
    await expect(store.checkSchema()).rejects.toThrow('table "missing" does not exist');
    const error = await store.load('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as Error).cause).toBeInstanceOf(SessionConfigError);
    await store.migrate();
    expect(await store.load('k')).toBeUndefined();
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
    expect(() => sqliteStore({ database, table })).toThrow(SessionConfigError);
    expect(() => sqliteStore({ database, table })).toThrow('`table`');
  });

  it('needs a database', () => {
    expect(() => sqliteStore({} as never)).toThrow(/`database`/);
    expect(() => sqliteStore({ database: {} as never })).toThrow(/better-sqlite3/);
    expect(() => d1Store({ database: undefined as never })).toThrow(/D1 binding/);
  });

  it('checks now and checkSchema', () => {
    expect(() => sqliteStore({ database, now: 5 as never })).toThrow(/`now`/);
    expect(() => sqliteStore({ database, checkSchema: 1 as never })).toThrow(/`checkSchema`/);
  });
});
