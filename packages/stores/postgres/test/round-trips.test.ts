import { createTestClock } from '@fetch-session/core/testing';
import { postgresStore } from '@fetch-session/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectLoginAndRevokeStatements,
  expectSweepsInBatches,
  roundTripApp,
} from '../../sql-core/test/support/sql-store-checks.js';
import { statements } from '../src/statements.js';
import { parseTableName } from '../src/table-name.js';
import { pgPool, postgresJs, uniqueTable } from './support/clients.js';
import { countingQuery } from './support/counting.js';

// Statements per request type, counted at the driver, through a real session manager.
const sql = postgresJs();
const table = uniqueTable('trips');
const counted = countingQuery(sql);
const clock = createTestClock();
const store = postgresStore({ query: counted.query, table, now: clock.now });
const trips = roundTripApp(store, clock);
const { visit } = trips;

beforeAll(async () => {
  await postgresStore({ sql, table }).migrate();
  await store.checkSchema(); // the one schema check, outside the counts
  counted.take();
});
afterAll(() => sql.end());

describe('statements per request', () => {
  it('a new visitor that writes: one INSERT', async () => {
    await visit('/write');
    expect(counted.take()).toEqual(['INSERT']);
  });

  it('a visitor that writes nothing: no statement', async () => {
    await visit('/nothing');
    expect(counted.take()).toEqual([]);
  });

  it('a read: one SELECT; a write: one SELECT and one UPDATE', async () => {
    const { cookie } = await visit('/write');
    counted.take();
    const read = await visit('/read', cookie);
    expect(await read.response.json()).toBe(1);
    expect(counted.take()).toEqual(['SELECT']);
    await visit('/write', cookie);
    expect(counted.take()).toEqual(['SELECT', 'UPDATE']);
  });

  it('a read after touchAfter: one SELECT and one UPDATE (the touch)', async () => {
    const { cookie } = await visit('/write');
    counted.take();
    clock.advance(61_000);
    await visit('/read', cookie);
    expect(counted.take()).toEqual(['SELECT', 'UPDATE']);
  });

  it('login (regenerate + bindUser), then list and revoke all sessions of a user', () =>
    expectLoginAndRevokeStatements(trips, counted.take));
});

describe('indexes', () => {
  const plan = async (text: string, params: string[]): Promise<string> =>
    sql.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      const rows = await tx.unsafe(`EXPLAIN ${text}`, params);
      return rows.map((row) => Object.values(row)[0]).join('\n');
    });
  const sqlOf = statements(parseTableName(table));

  it("finds a user's sessions through the user_id index, not a scan", async () => {
    const text = await plan(sqlOf.list.text, ['ada', String(clock.now())]);
    expect(text).toContain(`${table}_user_id_idx`);
  });

  it('sweeps through the expires_at index', async () => {
    const text = await plan(sqlOf.sweep.text, [String(clock.now()), '10']);
    expect(text).toContain(`${table}_expires_at_idx`);
  });
});

describe('sweepExpired', () => {
  it('deletes the expired rows only, in batches, and reports how many', () => {
    const sweepTable = uniqueTable('sweep');
    return expectSweepsInBatches(
      (now) => postgresStore({ sql, table: sweepTable, now }),
      async () => {
        const rows = await sql.unsafe(`SELECT count(*)::int AS count FROM "${sweepTable}"`);
        return rows[0]?.count as number;
      },
    );
  });
});

describe('prepared statements with pg', () => {
  it('a pg pool runs each statement as a named, prepared one, parsed once per connection', async () => {
    const pool = pgPool(undefined, 1); // one connection: what it prepared is visible to it
    const prepared = async (): Promise<string[]> =>
      (
        await pool.query<{ name: string }>(
          "SELECT name FROM pg_prepared_statements WHERE name LIKE 'fetch_session_%' ORDER BY name",
        )
      ).rows.map((row) => row.name);
    try {
      const pgStore = postgresStore({ pool, table, now: clock.now });
      await pgStore.checkSchema();
      const before = await prepared();
      await pgStore.write('k-prepared', { meta, set: { a: '"1"' }, delete: [] }, write);
      await pgStore.load('k-prepared');
      await pgStore.load('k-prepared');
      const after = await prepared();
      // The write and the load each added one statement; the second load reused its plan.
      expect(after.length - before.length).toBe(2);
      expect((await pgStore.load('k-prepared'))?.fields).toEqual({ a: '"1"' });
      expect(await prepared()).toEqual(after);
    } finally {
      await pool.end();
    }
  });
});

const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
const write = { mode: 'create', expiresAt: Number.POSITIVE_INFINITY } as const;
