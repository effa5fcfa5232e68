// Bun, sessions in memory. Run: SESSION_SECRET=... bun bun/server.ts
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';

interface Data {
  count: number;
  user?: { id: string; name: string };
}
interface Flash {
  notice: string;
}

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const sessions = createSessionManager<Data, Flash>({
  store: memoryStore(),
  secrets: [secret], // list several to rotate: the first signs, all verify
});

// The same handler runs on Deno (Deno.serve), Workers (export default { fetch }) and Node
// (serveFetch from @fetch-session/node/fetch).
const fetch = sessions.wrap(async (_request, session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return new Response(`You have visited this page ${count} times`);
});

const server = Bun.serve({ port: Number(process.env.PORT ?? 3000), fetch });
console.log(`Listening on ${server.url}`);
