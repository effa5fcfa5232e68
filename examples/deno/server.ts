// Deno, the session encrypted into the cookie (no server-side store).
// Run: COOKIE_SECRET=... deno run --allow-net --allow-env deno/server.ts

import { cookieStore } from '@fetch-session/cookie';
import { createSessionManager } from '@fetch-session/core';

const secret = Deno.env.get('COOKIE_SECRET'); // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set COOKIE_SECRET');

const sessions = createSessionManager<{ theme: string; count: number }>({
  store: cookieStore({ secrets: [secret] }), // the manager needs no `secrets` of its own
  idleTimeout: 3600,
});

Deno.serve(
  { port: Number(Deno.env.get('PORT') ?? 3000) },
  sessions.wrap(async (request, session) => {
    const theme = new URL(request.url).searchParams.get('theme');
    if (theme) await session.set('theme', theme);
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    const current = (await session.get('theme')) ?? 'light';
    return new Response(`Theme ${current}, you have visited this page ${count} times`);
  }),
);
