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
import { postgresJs, uniqueTable } from './support/clients.js';
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
