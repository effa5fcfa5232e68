import { createSessionManager, type SessionStore } from '@fetch-session/core';
import { afterAll, expect, inject, it } from 'vitest';

// The store selection the demo needs for DATABASE_URL (the code given to the demo's owner),
// run as written against the test server.
const env = { DATABASE_URL: inject('postgresUrl') };
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function chooseStore(): Promise<{ store: SessionStore; label: string }> {
  if (env.DATABASE_URL) {
    const [{ postgresStore, startSweeper }, { default: postgres }] = await Promise.all([
      import('@fetch-session/postgres'),
      import('postgres'),
    ]);
    const sql = postgres(env.DATABASE_URL, { onnotice: () => {} });
    const store = postgresStore({ sql, table: 'demo_sessions' });
    await store.migrate();
    const sweeper = startSweeper(store);
    closers.push(async () => {
      sweeper.stop();
      await sql.end();
    });
    return { store, label: 'PostgreSQL' };
  }
  throw new Error('unreachable in this test');
}

it('puts a session manager on PostgreSQL from DATABASE_URL', async () => {
  const { store, label } = await chooseStore();
  expect(label).toBe('PostgreSQL');
  const sessions = createSessionManager({ store, secrets: 'readme-example-secret-0123456789ab' });
  const app = sessions.wrap(async (_request, session) => {
    const count = (((await session.get('count')) as number | undefined) ?? 0) + 1;
    await session.set('count', count);
    return Response.json(count);
  });
  const first = await app(new Request('https://app.test/'));
  const cookie = (first.headers.get('set-cookie') as string).split(';')[0] as string;
  const second = await app(new Request('https://app.test/', { headers: { cookie } }));
  expect(await second.json()).toBe(2);
});
