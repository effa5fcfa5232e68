// Hono on Node.js, sessions in memory. Run: SESSION_SECRET=... npx tsx node-hono/server.ts
import { createSessionManager } from '@fetch-session/core';
import { type SessionEnv, sessionMiddleware } from '@fetch-session/hono';
import { memoryStore } from '@fetch-session/memory';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

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

const app = new Hono<SessionEnv<Data, Flash>>();
app.use(sessionMiddleware({ sessions }));

app.get('/', async (c) => {
  const count = ((await c.var.session.get('count')) ?? 0) + 1;
  await c.var.session.set('count', count);
  const user = await c.var.session.get('user');
  const notice = (await c.var.session.takeFlash('notice')) ?? '';
  return c.text(
    `${notice}Hello ${user?.name ?? 'stranger'}, you have visited this page ${count} times`,
  );
});

app.post('/login', async (c) => {
  // ... check the credentials, then:
  await c.var.session.regenerate(); // a new ID at every privilege change
  await c.var.session.set('user', { id: '1', name: 'Ada' });
  return c.redirect('/', 303);
});

app.post('/logout', async (c) => {
  await c.var.session.destroy();
  await c.var.session.flash('notice', 'Signed out. ');
  return c.redirect('/', 303);
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, ({ port }) => {
  console.log(`Listening on http://localhost:${port}`);
});
