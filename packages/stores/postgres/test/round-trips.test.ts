import { createSessionManager } from '@fetch-session/core';
import { createTestClock } from '@fetch-session/core/testing';
import { postgresStore } from '@fetch-session/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const sessions = createSessionManager({
  store,
  secrets: 'round-trip-test-secret-0123456789',
  now: clock.now,
  idleTimeout: 3_600,
  touchAfter: 60,
});

const app = sessions.wrap(async (request, session) => {
  const path = new URL(request.url).pathname;
  if (path === '/write')
    await session.set('count', (((await session.get('count')) as number) ?? 0) + 1);
  if (path === '/read') return Response.json(await session.get('count'));
  if (path === '/login') {
    await session.regenerate();
    await session.bindUser('ada');
  }
  return new Response('ok');
});
const visit = async (path: string, cookie = '') => {
  const response = await app(new Request(`https://app.test${path}`, { headers: { cookie } }));
  const set = response.headers.get('set-cookie');
  return { response, cookie: set === null ? cookie : (set.split(';')[0] as string) };
};

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

  it('login (regenerate + bindUser), then list and revoke all sessions of a user', async () => {
    const first = await visit('/write');
    counted.take();
    await visit('/login', first.cookie);
    // The new record is created before the old one goes (H2), then the user's list is read
    // once for the per-user cap (H7).
    expect(counted.take()).toEqual(['SELECT', 'INSERT', 'DELETE', 'SELECT']);
    await visit('/login');
    counted.take();
    expect(await sessions.listSessions('ada')).toHaveLength(2);
    expect(counted.take()).toEqual(['SELECT']);
    await sessions.revokeAllSessions('ada');
    // The list, then per session the core's ownership check (a load) and the delete.
    expect(counted.take().sort()).toEqual(['DELETE', 'DELETE', 'SELECT', 'SELECT', 'SELECT']);
    expect(await sessions.listSessions('ada')).toHaveLength(0);
  });
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
  it('deletes the expired rows only, in batches, and reports how many', async () => {
    const sweepTable = uniqueTable('sweep');
    const sweepClock = createTestClock();
    const sweeping = postgresStore({ sql, table: sweepTable, now: sweepClock.now });
    await sweeping.migrate();
    const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
    const at = sweepClock.now();
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        sweeping.write(
          `k${i}`,
          { meta, set: {}, delete: [] },
          {
            mode: 'create',
            expiresAt: i < 20 ? at + 1_000 : i < 24 ? at + 60_000 : Number.POSITIVE_INFINITY,
          },
        ),
      ),
    );
    sweepClock.advance(2_000);
    expect(await sweeping.sweepExpired({ batchSize: 7 })).toBe(20);
    const rows = await sql.unsafe(`SELECT count(*)::int AS count FROM "${sweepTable}"`);
    expect(rows[0]?.count).toBe(5);
    expect(await sweeping.sweepExpired()).toBe(0);
    sweepClock.advance(60_000);
    expect(await sweeping.sweepExpired()).toBe(4);
    expect(await sweeping.load('k24')).toBeDefined();
  });
});
