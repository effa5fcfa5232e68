// A fetch handler (the one you would give Bun.serve or Deno.serve) on node:http.
// Needs @hono/node-server next to @fetch-session/node. Run: SESSION_SECRET=... npx tsx node-fetch/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { serveFetch } from '@fetch-session/node/fetch';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const sessions = createSessionManager<{ count: number }>({
  store: memoryStore(),
  secrets: [secret],
});

const server = createServer(
  serveFetch(sessions, async (_request, session) => {
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    return new Response(`You have visited this page ${count} times`);
  }),
);

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
