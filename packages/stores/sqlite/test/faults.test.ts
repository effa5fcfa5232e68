import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionManager } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'fetch-session-sqlite-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
const later = () => Date.now() + 3_600_000;

it('a locked database (SQLITE_BUSY) is a SessionStoreError, a 503 through the manager, and the session survives', async () => {
  const file = join(dir, 'busy.db');
  const database = new Database(file, { timeout: 0 });
  const other = new Database(file, { timeout: 0 });
  const store = sqliteStore({ database });
  await store.migrate();
  const sessions = createSessionManager({ store, secrets: 'sqlite-fault-secret-0123456789abcdef' });
  const app = sessions.wrap(async (_request, session) => {
    const count = (((await session.get('count')) as number | undefined) ?? 0) + 1;
    await session.set('count', count);
    return Response.json(count);
  });
  const first = await app(new Request('https://app.test/'));
  const cookie = (first.headers.get('set-cookie') as string).split(';')[0] as string;
  const again = () => app(new Request('https://app.test/', { headers: { cookie } }));

  other.exec('BEGIN EXCLUSIVE');
  const errors: SessionStoreError[] = [];
  const locked = createSessionManager({
    store,
    secrets: 'sqlite-fault-secret-0123456789abcdef',
    onEvent: (event) => {
      if (event.type === 'store-error') errors.push(event.error);
    },
  }).wrap(async (_request, session) => Response.json(await session.get('count')));
  const during = await locked(new Request('https://app.test/', { headers: { cookie } }));
  expect(during.status).toBe(503);
  expect(errors[0]).toBeInstanceOf(SessionStoreError);
  expect((errors[0] as SessionStoreError).cause).toMatchObject({ code: 'SQLITE_BUSY' });
  other.exec('ROLLBACK');

  // Service resumes by itself, with the session as it was.
  const after = await again();
  expect(after.status).toBe(200);
  expect(await after.json()).toBe(2);
  other.close();
  database.close();
});

it('a closed database is a SessionStoreError, never "no session"', async () => {
  const database = new Database(join(dir, 'closed.db'));
  const store = sqliteStore({ database });
  await store.migrate();
  await store.write(
    'k',
    { meta, set: { 'd:a': '1' }, delete: [] },
    { mode: 'create', expiresAt: later() },
  );
  database.close();
  await expect(store.load('k')).rejects.toBeInstanceOf(SessionStoreError);
});

it('S24: a constraint error is redacted to its name and code', async () => {
  const database = new Database(':memory:');
  database.exec(
    'CREATE TABLE checked (key TEXT PRIMARY KEY, meta TEXT NOT NULL, fields TEXT NOT NULL CHECK (length(fields) < 30), user_id TEXT, expires_at INTEGER)',
  );
  const store = sqliteStore({ database, table: 'checked' });
  const secret = 'very-secret-session-value-0123456789';
  const error = await store
    .write(
      'sess:abc',
      { meta, set: { 'd:t': JSON.stringify(secret) }, delete: [] },
      { mode: 'create', expiresAt: later() },
    )
    .then(
      () => undefined,
      (caught: unknown) => caught as SessionStoreError,
    );
  expect(error).toBeInstanceOf(SessionStoreError);
  const cause = (error as SessionStoreError).cause as Error & { code?: string };
  expect(cause.code).toBe('SQLITE_CONSTRAINT_CHECK');
  const printed = `${(error as SessionStoreError).message} ${cause.message} ${cause.stack} ${JSON.stringify(cause)}`;
  expect(printed).not.toContain(secret);
  expect(printed).not.toContain('sess:abc');
  database.close();
});
