/**
 * The assertions the PostgreSQL and SQLite stores' tests share, one copy as the logic they
 * test has one copy. Each store's test file calls them from its own `it`s, on its own real
 * database, and keeps its dialect's own cases beside them.
 */
import { readFileSync } from 'node:fs';
import { createSessionManager, type SessionManager, type SessionStore } from '@fetch-session/core';
import { SessionConfigError, SessionStoreError } from '@fetch-session/core/errors';
import { createTestClock, type TestClock } from '@fetch-session/core/testing';
import type { SqlSessionStore } from '@fetch-session/sql-core';
import { expect } from 'vitest';

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
const later = (): number => Date.now() + 3_600_000;

/** The package's shipped `schema.sql` (beside `test/`) is exactly what `migrate()` runs. */
export function expectSchemaFileMatches(testFile: string, schemaSql: string): void {
  const file = readFileSync(new URL('../schema.sql', testFile), 'utf8');
  expect(file.replace(/^--.*\n/gm, '').trim()).toBe(schemaSql.trim());
}

/** `migrate()` twice (idempotent), `checkSchema()` passes, and the table takes a session. */
export async function expectMigrateWorks(store: SqlSessionStore): Promise<void> {
  await store.migrate();
  await store.migrate();
  await store.checkSchema();
  expect(
    await store.write(
      'k',
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    ),
  ).toBe('ok');
  expect((await store.load('k'))?.fields).toEqual({ 'd:a': '1' });
}

/**
 * A store on a missing table: `checkSchema()` throws a `SessionConfigError` naming it, an
 * operation a `SessionStoreError` caused by that error. Not remembered: once the table exists
 * (created by another store, so this one is not told), the same store works. `createStore`
 * makes a store on the table; resolves to the `checkSchema()` error.
 */
export async function expectMissingTableNamed(
  createStore: () => SqlSessionStore,
  table: string,
): Promise<SessionConfigError> {
  const store = createStore();
  const checked = await store.checkSchema().then(
    () => expect.fail('checkSchema() passed on a missing table'),
    (error: unknown) => error,
  );
  expect(checked).toBeInstanceOf(SessionConfigError);
  expect((checked as Error).message).toContain(`table "${table}" does not exist`);
  const loaded = await store.load('k').catch((error: unknown) => error);
  expect(loaded).toBeInstanceOf(SessionStoreError);
  expect((loaded as Error).cause).toBeInstanceOf(SessionConfigError);
  await createStore().migrate();
  expect(await store.load('k')).toBeUndefined();
  return checked as SessionConfigError;
}

/** The table name is refused at construction with a `SessionConfigError` naming `table`. */
export function expectTableRefused(create: () => unknown): void {
  expect(create).toThrow(SessionConfigError);
  expect(create).toThrow('`table`');
}

/** `now` and `checkSchema` of the wrong type are refused at construction, each by name. */
export function expectClockAndCheckOptions(
  create: (options: { now?: never; checkSchema?: never }) => unknown,
): void {
  expect(() => create({ now: 5 as never })).toThrow(/`now`/);
  expect(() => create({ checkSchema: 'yes' as never })).toThrow(/`checkSchema`/);
}

/**
 * `sweepExpired` deletes only the expired rows, in batches, and says how many: 25 rows, 20
 * expired, swept 7 at a time; then the 4 that expire later; the one that never expires stays.
 * `createStore` gets the test clock; `countRows` counts the table past the store.
 */
export async function expectSweepsInBatches(
  createStore: (now: () => number) => SqlSessionStore,
  countRows: () => Promise<number>,
): Promise<void> {
  const clock = createTestClock();
  const store = createStore(clock.now);
  await store.migrate();
  const at = clock.now();
  await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      store.write(
        `k${i}`,
        { meta: { createdAt: 0, lastSeenAt: 0, permanent: false }, set: {}, delete: [] },
        {
          mode: 'create',
          expiresAt: i < 20 ? at + 1_000 : i < 24 ? at + 60_000 : Number.POSITIVE_INFINITY,
        },
      ),
    ),
  );
  clock.advance(2_000);
  expect(await store.sweepExpired({ batchSize: 7 })).toBe(20);
  expect(await countRows()).toBe(5);
  expect(await store.sweepExpired()).toBe(0);
  clock.advance(60_000);
  expect(await store.sweepExpired()).toBe(4);
  expect(await store.load('k24')).toBeDefined();
}

/** A session app for counting statements per request: `/write`, `/read`, `/login`. */
export interface RoundTripApp {
  readonly sessions: SessionManager<Record<string, unknown>, Record<string, unknown>>;
  /** One request; resolves to the response and the cookie to send next. */
  visit(path: string, cookie?: string): Promise<{ response: Response; cookie: string }>;
}

/**
 * The app over `store`, on the test clock: idle timeout one hour, a touch after 60 s.
 * `/write` increments `count`, `/read` answers it, `/login` regenerates and binds `ada`.
 */
export function roundTripApp(store: SessionStore, clock: TestClock): RoundTripApp {
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
  return {
    sessions,
    async visit(path, cookie = '') {
      const response = await app(new Request(`https://app.test${path}`, { headers: { cookie } }));
      const set = response.headers.get('set-cookie');
      return { response, cookie: set === null ? cookie : (set.split(';')[0] as string) };
    },
  };
}

/**
 * Statements, by first word, of a login (`regenerate()` + `bindUser()`), of listing the
 * user's sessions and of revoking them all. `take` answers the statements since its last call.
 */
export async function expectLoginAndRevokeStatements(
  { sessions, visit }: RoundTripApp,
  take: () => string[],
): Promise<void> {
  const first = await visit('/write');
  take();
  await visit('/login', first.cookie);
  // The new record is created before the old one goes (H2), then the user's list is read
  // once for the per-user cap (H7).
  expect(take()).toEqual(['SELECT', 'INSERT', 'DELETE', 'SELECT']);
  await visit('/login');
  take();
  expect(await sessions.listSessions('ada')).toHaveLength(2);
  expect(take()).toEqual(['SELECT']);
  await sessions.revokeAllSessions('ada');
  // The list, then per session the core's ownership check (a load) and the delete.
  expect(take().sort()).toEqual(['DELETE', 'DELETE', 'SELECT', 'SELECT', 'SELECT']);
  expect(await sessions.listSessions('ada')).toHaveLength(0);
}
