// Upstash Redis (REST), served from Node. Run:
// UPSTASH_REDIS_REST_URL=... UPSTASH_REDIS_REST_TOKEN=... SESSION_SECRET=... npx tsx upstash/server.ts
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { serveFetch } from '@fetch-session/node/fetch';
import { upstashStore } from '@fetch-session/upstash';
import { Redis } from '@upstash/redis';

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

// Reads UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_URL / _TOKEN).
const redis = Redis.fromEnv();

const sessions = createSessionManager<{ user: string; cart: string[] }>({
  store: upstashStore({ redis }),
  secrets: [secret],
  idleTimeout: 60 * 60 * 24, // seconds; Redis drops the record when it ends (moved on touch)
});

const server = createServer(
  serveFetch(sessions, async (request, session) => {
    const cart = (await session.get('cart')) ?? [];
    if (request.method === 'POST') await session.set('cart', [...cart, 'laptop']);
    return Response.json({ user: await session.get('user'), cart });
  }),
);

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`Listening on http://localhost:${port}`));
