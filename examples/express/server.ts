// Express 5, sessions in memory. Run: SESSION_SECRET=... npx tsx express/server.ts
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession } from '@fetch-session/node';
import express from 'express';

interface Data {
  count: number;
  user?: string;
}

const secret = process.env.SESSION_SECRET; // 32+ random bytes: `openssl rand -base64 32`
if (!secret) throw new Error('Set SESSION_SECRET');

const sessions = createSessionManager<Data>({ store: memoryStore(), secrets: [secret] });

const app = express();
app.use(expressSession(sessions)); // loads the session before the routes, saves it before the headers

app.get('/', async (req, res) => {
  const session = getSession(req, sessions);
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  const user = (await session.get('user')) ?? 'stranger';
  res.send(`Hello ${user}, you have visited this page ${count} times`);
});

app.post('/login', async (req, res) => {
  const session = getSession(req, sessions);
  // ... check the credentials, then:
  await session.regenerate(); // a new ID at every privilege change
  await session.set('user', 'Ada');
  res.redirect(303, '/');
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`Listening on http://localhost:${port}`));
