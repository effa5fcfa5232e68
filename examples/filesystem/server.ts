// Sessions in files (they survive a restart; no service to run), served from Node.
// Run: SESSION_SECRET=... SESSION_FILE_DIR=./sessions npx tsx filesystem/server.ts
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { fileStore } from '@fetch-session/filesystem';
import { serveFetch } from '@fetch-session/node/fetch';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const directory = process.env.SESSION_FILE_DIR ?? './sessions';
mkdirSync(directory, { recursive: true }); // the store wants an existing, writable directory
const store = fileStore({ directory });
setInterval(() => void store.sweep(), 10 * 60_000).unref(); // expired files, crash leftovers

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
