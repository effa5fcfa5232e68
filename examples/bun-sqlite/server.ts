// Bun with its built-in SQLite (the same store runs better-sqlite3 on Node and D1 on Workers).
// Run: SESSION_SECRET=... bun bun-sqlite/server.ts
import { Database } from 'bun:sqlite';
import { createSessionManager } from '@fetch-session/core';
import { sqliteStore } from '@fetch-session/sqlite';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const database = new Database(process.env.SESSION_DB ?? 'sessions.db');
database.run('PRAGMA journal_mode = WAL');
const store = sqliteStore({ database });
await store.migrate(); // creates the table and indexes if missing (or run schema.sql once)
setInterval(() => store.sweepExpired().catch(console.error), 15 * 60_000).unref();

const sessions = createSessionManager<{ count: number }>({ store, secrets: [secret] });

const fetch = sessions.wrap(async (_request, session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return new Response(`You have visited this page ${count} times`);
});

const server = Bun.serve({ port: Number(process.env.PORT ?? 3000), fetch });
console.log(`Listening on ${server.url}`);
