import { createTestClock } from '@fetch-session/core/testing';
import { sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectLoginAndRevokeStatements,
  expectSweepsInBatches,
  roundTripApp,
} from '../../sql-core/test/support/sql-store-checks.js';

// Statements per request type, counted at the driver, through a real session manager.
const database = new Database(':memory:');
const seen: string[] = [];
const counting = {
  prepare(text: string) {
    const statement = database.prepare(text);
    const first = /^\w+/.exec(text)?.[0] ?? text;
    const note =
      <A extends unknown[], R>(call: (...args: A) => R) =>
      (...args: A): R => {
        seen.push(first);
        return call(...args);
      };
    return {
      get: note(statement.get.bind(statement)),
      all: note(statement.all.bind(statement)),
      run: note(statement.run.bind(statement)),
    };
  },
};
const take = () => seen.splice(0);
const clock = createTestClock();
const store = sqliteStore({ database: counting as never, now: clock.now });
const trips = roundTripApp(store, clock);
const { visit } = trips;

beforeAll(async () => {
  await store.migrate();
  take();
});
afterAll(() => database.close());

describe('statements per request', () => {
  it('new visitor that writes: one INSERT; read: one SELECT; write: SELECT + UPDATE; touch: SELECT + UPDATE', async () => {
    const { cookie } = await visit('/write');
    expect(take()).toEqual(['INSERT']);
    await visit('/nothing');
    expect(take()).toEqual([]);
    expect(await (await visit('/read', cookie)).response.json()).toBe(1);
    expect(take()).toEqual(['SELECT']);
    await visit('/write', cookie);
    expect(take()).toEqual(['SELECT', 'UPDATE']);
    clock.advance(61_000);
    await visit('/read', cookie);
    expect(take()).toEqual(['SELECT', 'UPDATE']);
  });

  it('login (regenerate + bindUser), then list and revoke all sessions of a user', () =>
    expectLoginAndRevokeStatements(trips, take));
});

describe('sweepExpired', () => {
  it('deletes the expired rows only, in batches, and reports how many', () =>
    expectSweepsInBatches(
      (now) => sqliteStore({ database, table: 'sweep', now }),
      async () => (database.prepare('SELECT count(*) AS n FROM sweep').get() as { n: number }).n,
    ));
});
