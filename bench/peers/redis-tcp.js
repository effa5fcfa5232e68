/**
 * Requests per second on one throwaway redis-server, over TCP, for three request kinds (read:
 * an existing session is loaded; write: it is loaded and one key changes; new visitor: a
 * session is created), for:
 *
 * - fetch-session + `@fetch-session/redis` over node-redis v5,
 * - fetch-session + `@fetch-session/redis` over ioredis,
 * - fetch-session + the memory store (no Redis: the floor of the library itself),
 * - express-session + connect-redis (node-redis v5).
 *
 * Every server is plain `node:http` in this process, driven by autocannon in this process too:
 * figures compare the servers with each other on the same machine, not absolute capacity.
 *
 * Run: `npx turbo run build --filter=@fetch-session/redis --filter=@fetch-session/node
 * --filter=@fetch-session/memory && node bench/peers/redis-tcp.js [seconds per run]`.
 */
import { createServer } from 'node:http';
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { withNodeSession } from '@fetch-session/node';
import { redisStore } from '@fetch-session/redis';
import autocannon from 'autocannon';
import { RedisStore } from 'connect-redis';
import expressSession from 'express-session';
import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { startRedisServer } from './redis.js';

const SECONDS = Number(process.argv[2] ?? 3);
const CONNECTIONS = 20;
const SECRET = 'redis-tcp-bench-secret-0123456789abcdef';

/** A request handler for the three routes; `session` has `get`/`set` (either library). */
function fetchSessionServer(store) {
  const sessions = createSessionManager({ store, secrets: SECRET });
  return createServer(
    withNodeSession(sessions, async (req, res, session) => {
      if (req.url === '/write') {
        await session.set('n', ((await session.get('n')) ?? 0) + 1);
      } else if (req.url === '/new') {
        await session.set('n', 1);
      } else {
        await session.get('n');
      }
      res.end('ok');
    }),
  );
}

function expressSessionServer(client) {
  const middleware = expressSession({
    store: new RedisStore({ client, prefix: 'es:' }),
    secret: SECRET,
    resave: false,
    saveUninitialized: false,
  });
  return createServer((req, res) =>
    middleware(req, res, () => {
      if (req.url === '/write' || req.url === '/new') {
        req.session.n = (req.session.n ?? 0) + 1;
      }
      res.end('ok');
    }),
  );
}

function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

/** A cookie for an existing session: one new-visitor request. */
async function primeCookie(origin) {
  const response = await fetch(`${origin}/new`);
  const setCookie = response.headers.get('set-cookie');
  if (setCookie === null) throw new Error(`no session cookie from ${origin}`);
  return setCookie.split(';')[0];
}

async function measure(origin, path, cookie) {
  const result = await autocannon({
    url: `${origin}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: cookie === undefined ? {} : { cookie },
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  return { rps: Math.round(result.requests.average), failed };
}

async function main() {
  const redis = await startRedisServer();
  const nodeRedis = createClient({ socket: { host: '127.0.0.1', port: redis.port } });
  nodeRedis.on('error', () => {});
  await nodeRedis.connect();
  const ioredis = new IORedis({ host: '127.0.0.1', port: redis.port });
  ioredis.on('error', () => {});
  const servers = [
    [
      'fetch-session + @fetch-session/redis (node-redis)',
      fetchSessionServer(redisStore({ client: nodeRedis })),
    ],
    [
      'fetch-session + @fetch-session/redis (ioredis)',
      fetchSessionServer(redisStore({ client: ioredis })),
    ],
    ['fetch-session + memory store (no Redis)', fetchSessionServer(memoryStore())],
    ['express-session + connect-redis (node-redis)', expressSessionServer(nodeRedis)],
  ];
  const rows = [];
  try {
    for (const [label, server] of servers) {
      const origin = await listen(server);
      const cookie = await primeCookie(origin);
      const read = await measure(origin, '/read', cookie);
      const write = await measure(origin, '/write', cookie);
      const fresh = await measure(origin, '/new');
      rows.push({ label, read, write, fresh });
      console.error(`${label}: read ${read.rps}/s, write ${write.rps}/s, new ${fresh.rps}/s`);
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await nodeRedis.close();
    ioredis.disconnect();
    await redis.stop();
  }
  const cell = ({ rps, failed }) => (failed > 0 ? `${rps} (${failed} failed)` : String(rps));
  console.log(`Requests/s, ${CONNECTIONS} connections, ${SECONDS} s per run, one redis-server:\n`);
  console.log('| server | read | write | new visitor |\n| --- | ---: | ---: | ---: |');
  for (const { label, read, write, fresh } of rows) {
    console.log(`| ${label} | ${cell(read)} | ${cell(write)} | ${cell(fresh)} |`);
  }
}

await main();
