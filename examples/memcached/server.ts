// memcached through memjs, served from Node. Sessions can be evicted under memory pressure,
// and there is no per-user index (see the package README).
// Run: MEMCACHED_SERVERS=127.0.0.1:11211 SESSION_SECRET=... npx tsx memcached/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { memcachedStore } from '@fetch-session/memcached';
import { serveFetch } from '@fetch-session/node/fetch';
import memjs from 'memjs';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const client = memjs.Client.create(process.env.MEMCACHED_SERVERS ?? '127.0.0.1:11211');
const sessions = createSessionManager<{ count: number }>({
  store: memcachedStore({ client }),
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
