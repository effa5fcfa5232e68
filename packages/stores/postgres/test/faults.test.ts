/**
 * Faults on a PostgreSQL server of this file's own: errors that quote data, a lock timeout, a
 * serialization failure, a connection killed mid-commit, and the server stopped and restarted
 * under load. Every one is a `SessionStoreError` (503 through the manager), never an empty
 * session over real data, and service resumes by itself.
 */
import { createSessionManager, type SessionStore } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { postgresStore } from '@fetch-session/postgres';
import type pg from 'pg';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgPool, postgresJs, uniqueTable } from './support/clients.js';
import { type PostgresServer, startPostgresServer } from './support/postgres-server.js';

let server: PostgresServer;
let admin: postgres.Sql;
let sql: postgres.Sql;
let pool: pg.Pool;
const table = uniqueTable('faults');
const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
const later = () => Date.now() + 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startPostgresServer();
  admin = postgresJs(server.url, 2);
  sql = postgresJs(server.url, 10);
  pool = pgPool(server.url, 10);
  await postgresStore({ sql, table }).migrate();
});
afterAll(async () => {
  await Promise.allSettled([admin?.end({ timeout: 1 }), sql?.end({ timeout: 1 }), pool?.end()]);
  await server?.destroy();
});

/** Waits until a backend other than ours waits on a lock (the store's statement is blocked). */
async function untilBlocked(): Promise<void> {
  for (;;) {
    const rows = await admin`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'`;
    if (rows.length > 0) return;
    await sleep(10);
  }
}

/** The error `promise` rejects with; fails the test if it resolves. */
const failure = (promise: Promise<unknown>): Promise<SessionStoreError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as SessionStoreError,
  );

describe('errors', () => {
  it('S24: a constraint error quoting the row is redacted to its name and SQLSTATE', async () => {
    const checked = uniqueTable('checked');
    await postgresStore({ sql, table: checked }).migrate();
    await admin.unsafe(`ALTER TABLE "${checked}" ADD CHECK (length(fields::text) < 50)`);
    const store = postgresStore({ sql, table: checked });
    const secret = 'very-secret-session-value-0123456789';
    const error = await failure(
      store.write(
        'sess:abc',
        { meta, set: { 'd:token': JSON.stringify(secret) }, delete: [] },
        {
          mode: 'create',
          expiresAt: later(),
        },
      ),
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error.operation).toBe('write');
    const cause = error.cause as Error & { code?: string; original?: { detail?: string } };
    expect(cause.code).toBe('23514'); // check_violation
    // The driver's own error does quote the row (that is why it is redacted).
    expect(cause.original?.detail).toContain(secret);
    const printed =
      JSON.stringify(error, Object.getOwnPropertyNames(error)) +
      String(error.stack) +
      String(cause.stack) +
      JSON.stringify(cause);
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain('sess:abc');
  });

  it('a lock timeout is a SessionStoreError (55P03), and the record is intact after', async () => {
    const impatient = postgres(server.url, {
      max: 1,
      onnotice: () => {},
      connection: { lock_timeout: 100 },
    });
    const store = postgresStore({ sql: impatient, table });
    await store.write(
      'lock',
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    const outcome = admin.begin(async (tx) => {
      await tx.unsafe(`SELECT 1 FROM "${table}" WHERE key = 'lock' FOR UPDATE`);
      const error = await failure(
        store.write(
          'lock',
          { meta, set: { 'd:b': '2' }, delete: [] },
          { mode: 'update', expiresAt: later() },
        ),
      );
      return error;
    });
    const error = await outcome;
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error.cause as { code?: string }).code).toBe('55P03');
    expect((await store.load('lock'))?.fields).toEqual({ 'd:a': '1' });
    await impatient.end();
  });

  it('a serialization failure (40001) under REPEATABLE READ is a SessionStoreError', async () => {
    const strict = postgres(server.url, {
      max: 1,
      onnotice: () => {},
      connection: { default_transaction_isolation: 'repeatable read' },
    });
    const store = postgresStore({ sql: strict, table });
    await store.write(
      'serial',
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    await store.load('serial'); // the schema check and a connection, before the race
    let pending: Promise<SessionStoreError> | undefined;
    await admin.begin(async (tx) => {
      await tx.unsafe(
        `UPDATE "${table}" SET fields = fields || '{"d:x":"1"}' WHERE key = 'serial'`,
      );
      pending = failure(
        store.write(
          'serial',
          { meta, set: { 'd:b': '2' }, delete: [] },
          { mode: 'update', expiresAt: later() },
        ),
      );
      await untilBlocked();
    });
    const error = (await pending) as SessionStoreError;
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error.cause as { code?: string }).code).toBe('40001');
    expect((await store.load('serial'))?.fields).toEqual({ 'd:a': '1', 'd:x': '1' });
    await strict.end();
  });

  it.each(['postgres', 'pg'] as const)(
    'a connection killed mid-commit (%s) is a SessionStoreError; the next call reconnects',
    async (driver) => {
      const store =
        driver === 'postgres' ? postgresStore({ sql, table }) : postgresStore({ pool, table });
      const key = `killed-${driver}`;
      await store.write(
        key,
        { meta, set: { 'd:a': '1' }, delete: [] },
        { mode: 'create', expiresAt: later() },
      );
      let pending: Promise<SessionStoreError> | undefined;
      await admin.begin(async (tx) => {
        await tx.unsafe(`SELECT 1 FROM "${table}" WHERE key = $1 FOR UPDATE`, [key]);
        pending = failure(
          store.write(
            key,
            { meta, set: { 'd:b': '2' }, delete: [] },
            { mode: 'update', expiresAt: later() },
          ),
        );
        await untilBlocked();
        await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`;
      });
      const error = (await pending) as SessionStoreError;
      expect(error).toBeInstanceOf(SessionStoreError);
      expect((await store.load(key))?.fields).toEqual({ 'd:a': '1' });
    },
  );
});

describe('the server stopped and restarted under load', () => {
  /** A client that keeps incrementing its own counter and remembers what it was told. */
  interface Visitor {
    cookie: string;
    confirmed: number;
    /** A write that failed after being sent may have been applied. */
    ambiguous: boolean;
  }

  it.each(['postgres', 'pg'] as const)(
    'S29 (%s): 503s only during the outage, no emptied or replaced session, recovery by itself',
    async (driver) => {
      // Fresh clients: nothing left over from the tests above.
      const client = driver === 'postgres' ? postgresJs(server.url, 10) : pgPool(server.url, 10);
      const store: SessionStore =
        'unsafe' in client
          ? postgresStore({ sql: client, table })
          : postgresStore({ pool: client, table });
      const sessions = createSessionManager({
        store,
        secrets: 'fault-test-secret-0123456789abcdef',
      });
      const causes: string[] = [];
      let phase: 'before' | 'outage' | 'after' = 'before';
      const onStoreError = (error: SessionStoreError) => {
        const cause = error.cause as { name?: string; code?: string } | undefined;
        causes.push(`${phase}: ${cause?.name} ${cause?.code}`);
        return new Response('unavailable', { status: 503 });
      };
      const app = sessions.wrap(
        async (_request, session) => {
          const count = (((await session.get('count')) as number | undefined) ?? 0) + 1;
          await session.set('count', count);
          return Response.json(count);
        },
        { onStoreError },
      );
      const visit = (visitor: Visitor) =>
        app(new Request('https://app.test/', { headers: { cookie: visitor.cookie } }));

      const visitors: Visitor[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await app(new Request('https://app.test/'));
        const cookie = (response.headers.get('set-cookie') as string).split(';')[0] as string;
        visitors.push({ cookie, confirmed: 1, ambiguous: false });
      }

      const statuses: number[] = [];
      const seen = { before: [] as number[], outage: [] as number[], after: [] as number[] };
      let stop = false;
      const violations: string[] = [];
      const loop = async (visitor: Visitor) => {
        while (!stop) {
          const during = phase;
          const response = await visit(visitor);
          statuses.push(response.status);
          seen[during].push(response.status);
          // A session is never replaced: no new cookie for an existing visitor.
          if (response.headers.get('set-cookie') !== null) violations.push('a new cookie');
          if (response.status === 200) {
            const count = (await response.json()) as number;
            // Never an empty session (count would restart at 1) and never a lost write.
            if (
              !(
                count === visitor.confirmed + 1 ||
                (visitor.ambiguous && count === visitor.confirmed + 2)
              )
            ) {
              violations.push(
                `count ${count} after ${visitor.confirmed} (ambiguous: ${visitor.ambiguous})`,
              );
            }
            visitor.confirmed = count;
            visitor.ambiguous = false;
          } else {
            if (response.status !== 503) violations.push(`status ${response.status}`);
            await response.text();
            visitor.ambiguous = true;
            await sleep(20);
          }
        }
      };
      const loops = visitors.map(loop);
      const until = async (what: () => boolean) => {
        while (!what()) await sleep(20);
      };
      await until(() => seen.before.filter((s) => s === 200).length >= 30);
      phase = 'outage';
      await server.stop();
      await until(() => seen.outage.filter((s) => s === 503).length >= 10);
      await server.start();
      phase = 'after';
      // Recovery by itself: successes come back, and once every visitor has had one, stop.
      const mark = statuses.length;
      await until(() => statuses.slice(mark).filter((s) => s === 200).length >= 80);
      stop = true;
      await Promise.all(loops);

      expect(violations).toEqual([]);
      expect(causes.filter((cause) => cause.startsWith('before'))).toEqual([]);
      expect(seen.outage.filter((s) => s === 503).length).toBeGreaterThanOrEqual(10);
      // After the restart every request succeeds once the pool has reconnected: the last 60
      // responses are all 200.
      expect(statuses.slice(-60).every((s) => s === 200)).toBe(true);
      // Every stored count is what the visitor was last told (or one more, if ambiguous).
      for (const visitor of visitors) {
        const response = await visit(visitor);
        const count = (await response.json()) as number;
        expect(
          count === visitor.confirmed + 1 || (visitor.ambiguous && count === visitor.confirmed + 2),
        ).toBe(true);
      }
      await ('unsafe' in client ? client.end({ timeout: 1 }) : client.end());
    },
    90_000,
  );
});
