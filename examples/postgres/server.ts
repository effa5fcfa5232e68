// PostgreSQL with postgres.js, served from Node. Flask-Session's SQLAlchemy backend.
// Run: DATABASE_URL=postgres://localhost/app SESSION_SECRET=... npx tsx postgres/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { serveFetch } from '@fetch-session/node/fetch';
import { postgresStore, startSweeper } from '@fetch-session/postgres';
import postgres from 'postgres';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');
const url = process.env.DATABASE_URL;
if (!url) throw new Error('Set DATABASE_URL');

const store = postgresStore({ sql: postgres(url, { connect_timeout: 5 }) });
await store.migrate(); // creates the table and indexes if missing (or run schema.sql once)
startSweeper(store); // deletes expired rows on a timer

const sessions = createSessionManager<{ count: number }>({ store, secrets: [secret] });

const server = createServer(
  serveFetch(sessions, async (_request, session) => {
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    return new Response(`You have visited this page ${count} times`);
  }),
);

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
