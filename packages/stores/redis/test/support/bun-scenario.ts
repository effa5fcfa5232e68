/**
 * Run by Bun (test/bun.test.ts): the store over Bun's built-in RedisClient, through a session
 * manager, on the redis-server whose port is the first argument. Prints what it saw as JSON.
 * Imports the built packages (Bun resolves the workspace links to their `dist`).
 */
import { createSessionManager } from '@fetch-session/core';
import { redisStore } from '../../src/index.js';

declare const Bun: {
  RedisClient: new (
    url: string,
  ) => { send(c: string, a: string[]): Promise<unknown>; connected: boolean; close(): void };
};

const port = process.argv[2];
const client = new Bun.RedisClient(`redis://127.0.0.1:${port}`);
const sessions = createSessionManager({
  store: redisStore({ client }),
  secrets: 'bun-scenario-secret-0123456789abcdef',
});
const app = sessions.wrap(async (request, session) => {
  const url = new URL(request.url);
  if (url.pathname === '/login') await session.bindUser('bun-user', { device: 'Bun' });
  const n = (((await session.get('n')) as number | undefined) ?? 0) + 1;
  await session.set('n', n);
  return Response.json({ n });
});
const visit = async (path: string, cookie = '') => {
  const response = await app(new Request(`https://app.test${path}`, { headers: { cookie } }));
  const set = response.headers.get('set-cookie');
  return {
    status: response.status,
    body: await response.json(),
    cookie: set ? (set.split(';')[0] as string) : cookie,
  };
};
const first = await visit('/');
const second = await visit('/', first.cookie);
await client.send('SCRIPT', ['FLUSH']); // the NOSCRIPT fallback
const third = await visit('/', second.cookie);
const login = await visit('/login');
const listed = (await sessions.listSessions('bun-user')).length;
const revoked = await sessions.revokeAllSessions('bun-user');
const after = await visit('/', login.cookie);
console.log(
  JSON.stringify({
    counts: [first.body.n, second.body.n, third.body.n],
    listed,
    revoked,
    afterRevoke: after.body.n,
  }),
);
client.close();
