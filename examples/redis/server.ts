// Redis over TCP with the official client (node-redis), served from Node. Flask-Session's
// `SESSION_TYPE = "redis"`. Run: REDIS_URL=redis://localhost:6379 SESSION_SECRET=... npx tsx redis/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { serveFetch } from '@fetch-session/node/fetch';
import { redisStore } from '@fetch-session/redis';
import { createClient } from 'redis';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const client = createClient({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' });
client.on('error', (error: Error) => console.error('redis:', error.name)); // node-redis exits without one
await client.connect();

const sessions = createSessionManager<{ count: number }>({
  store: redisStore({ client }), // a Cluster client (createCluster) works the same way
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
