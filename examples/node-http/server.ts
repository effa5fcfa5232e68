// Plain node:http, sessions in memory. Run: SESSION_SECRET=... npx tsx node-http/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { withNodeSession } from '@fetch-session/node';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const sessions = createSessionManager<{ count: number }>({
  // Past either bound the least recently used sessions go, anonymous ones before signed-in ones.
  store: memoryStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 }),
  secrets: [secret],
});

const server = createServer(
  withNodeSession(sessions, async (_req, res, session) => {
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`You have visited this page ${count} times`);
  }),
);

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
