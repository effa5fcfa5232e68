import { createSessionManager } from '@fetch-session/core';
import { createTestClock } from '@fetch-session/core/testing';
import { sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  return new Response('ok');
});
const visit = async (path: string, cookie = '') => {
  const response = await app(new Request(`https://app.test${path}`, { headers: { cookie } }));
  const set = response.headers.get('set-cookie');
  return { response, cookie: set === null ? cookie : (set.split(';')[0] as string) };
};

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
});

describe('sweepExpired', () => {
  it('deletes the expired rows only, in batches, and reports how many', async () => {
    const sweepClock = createTestClock();
    const sweeping = sqliteStore({ database, table: 'sweep', now: sweepClock.now });
    await sweeping.migrate();
    const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
    const at = sweepClock.now();
    for (let i = 0; i < 25; i++) {
      await sweeping.write(
        `k${i}`,
        { meta, set: {}, delete: [] },
        {
          mode: 'create',
          expiresAt: i < 20 ? at + 1_000 : i < 24 ? at + 60_000 : Number.POSITIVE_INFINITY,
        },
      );
    }
    sweepClock.advance(2_000);
    expect(await sweeping.sweepExpired({ batchSize: 7 })).toBe(20);
    expect(database.prepare('SELECT count(*) AS n FROM sweep').get()).toEqual({ n: 5 });
    expect(await sweeping.sweepExpired()).toBe(0);
    sweepClock.advance(60_000);
    expect(await sweeping.sweepExpired()).toBe(4);
    expect(await sweeping.load('k24')).toBeDefined();
  });
});
