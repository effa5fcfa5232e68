import { cloudflareKvStore } from '@fetch-session/cloudflare-kv';
import { createSessionManager } from '@fetch-session/core';

interface Env {
  SESSIONS: KVNamespace; // from `wrangler types` or @cloudflare/workers-types
  SESSION_SECRET: string;
}

interface Data {
  count: number;
  user: string;
}

// Build once per isolate, on the first request (bindings arrive with it), then reuse: the
// store keeps its write queue and its memory of destroyed sessions in this isolate, and the
// manager caches verified cookies.
let handle: ((request: Request) => Promise<Response>) | undefined;

function createHandler(env: Env): (request: Request) => Promise<Response> {
  const sessions = createSessionManager<Data>({
    store: cloudflareKvStore({ namespace: env.SESSIONS }),
    secrets: [env.SESSION_SECRET],
    idleTimeout: 30 * 60, // KV keeps records at least 60 s; the core enforces shorter timeouts
  });
  return sessions.wrap(async (request, session) => {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === '/login' && request.method === 'POST') {
      await session.set('user', searchParams.get('user') ?? 'ada'); // check a password first!
      await session.regenerate(); // a new ID at login: no session fixation
      return new Response('Logged in');
    }
    if (pathname === '/logout' && request.method === 'POST') {
      await session.destroy();
      return new Response('Logged out');
    }
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    const user = (await session.get('user')) ?? 'stranger';
    return new Response(`Hello ${user}, visit ${count}`);
  });
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handle ??= createHandler(env);
    return handle(request);
  },
};
