/**
 * The apps of the peer benchmark, one builder per server of servers.js. Each builder imports
 * only what its server needs (it runs in that server's own process) and returns either a fetch
 * handler (`{ fetch }`, served by @hono/node-server) or a node:http listener (`{ listener }`).
 *
 * Routes, the same everywhere: `/bare` answers `bare` without touching the session; `/read`
 * answers `count=N` from the session; `/counter` increments the session's count and answers
 * `count=N`. Every session library runs in its documented default configuration plus a secret,
 * so that it signs or encrypts its cookie.
 */
import { SECRET } from '../handlers.js';
import { envValue } from '../settings.js';

/** Routes of the servers without sessions keep their counter here. */
let counter = 0;

/**
 * Statements this server sent to PostgreSQL, counted at its client by the same one-line
 * wrapper for every library (server.js answers the `statements` message with it).
 */
let statements = 0;
export const statementsSent = () => statements;

/** A `pg` pool with its defaults on the benchmark's PostgreSQL, counting statements. */
async function pgPool() {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: envValue('BENCH_DATABASE_URL') });
  const query = pool.query.bind(pool);
  pool.query = (...args) => {
    statements++;
    return query(...args);
  };
  return pool;
}

/** A postgres.js client with its defaults on the benchmark's PostgreSQL, counting statements. */
async function postgresJs() {
  const { default: postgres } = await import('postgres');
  const sql = postgres(envValue('BENCH_DATABASE_URL'), { onnotice: () => {} });
  return {
    unsafe: (...args) => {
      statements++;
      return sql.unsafe(...args);
    },
  };
}

/** A connected node-redis v5 client on the benchmark's redis-server. */
async function nodeRedis() {
  const { createClient } = await import('redis');
  const client = createClient({ url: envValue('BENCH_REDIS_URL') });
  await client.connect();
  return client;
}

/** Hono with the three routes; `read` and `count` get the Hono context. */
async function honoApp({ middleware = [], read, count, bare = (c) => c.text('bare') }) {
  const { Hono } = await import('hono');
  const app = new Hono();
  for (const handler of middleware) app.use(handler);
  app.get('/bare', bare);
  app.get('/read', async (c) => c.text(`count=${await read(c)}`));
  app.get('/counter', async (c) => c.text(`count=${await count(c)}`));
  return { fetch: app.fetch };
}

/** Hono whose routes set `Vary: Cookie` the way @fetch-session/hono does, behind `middleware`. */
function varyApp(middleware) {
  const vary = (c) => c.header('Vary', 'Cookie', { append: true });
  return honoApp({
    middleware,
    bare: (c) => {
      vary(c);
      return c.text('bare');
    },
    read: (c) => {
      vary(c);
      return counter;
    },
    count: (c) => {
      vary(c);
      return ++counter;
    },
  });
}

/** Express with the three routes; `read` and `count` get `req`. */
async function expressApp({ middleware = [], read, count }) {
  const { default: express } = await import('express');
  const app = express();
  for (const handler of middleware) app.use(handler);
  app.get('/bare', (_req, res) => {
    res.send('bare');
  });
  app.get('/read', async (req, res) => {
    res.send(`count=${await read(req)}`);
  });
  app.get('/counter', async (req, res) => {
    res.send(`count=${await count(req)}`);
  });
  return { listener: app };
}

/**
 * A plain node:http listener with the three routes; `read` and `count` get the session.
 * `vary`: session routes set `Vary: Cookie` (the floor of a session route on node:http).
 */
function nodeRoutes({ read, count, vary = false }) {
  return async (req, res, session) => {
    const path = req.url.split('?')[0];
    let body;
    if (path === '/bare') body = 'bare';
    else if (path === '/read') body = `count=${await read(session)}`;
    else if (path === '/counter') body = `count=${await count(session)}`;
    else {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (vary && path !== '/bare') res.setHeader('vary', 'Cookie');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(body);
  };
}

async function fetchSessionManager(store, options = {}) {
  const { createSessionManager } = await import('@fetch-session/core');
  if (store === 'memory') {
    const { memoryStore } = await import('@fetch-session/memory');
    return createSessionManager({ store: memoryStore(), secrets: [SECRET], ...options });
  }
  if (store === 'cookie') {
    const { cookieStore } = await import('@fetch-session/cookie');
    return createSessionManager({ store: cookieStore({ secrets: [SECRET] }), ...options });
  }
  if (store === 'upstash') {
    const { upstashStore } = await import('@fetch-session/upstash');
    const { Redis } = await import('@upstash/redis');
    // The client's defaults (auto-pipelining on, retries on network errors), telemetry off.
    const redis = new Redis({
      url: envValue('BENCH_UPSTASH_URL'),
      token: envValue('BENCH_UPSTASH_TOKEN'),
      enableTelemetry: false,
    });
    return createSessionManager({ store: upstashStore({ redis }), secrets: [SECRET], ...options });
  }
  if (store === 'postgres-pg' || store === 'postgres-js') {
    const { postgresStore } = await import('@fetch-session/postgres');
    const client = store === 'postgres-pg' ? { pool: await pgPool() } : { sql: await postgresJs() };
    const sessionStore = postgresStore(client);
    await sessionStore.migrate(); // the documented setup: creates the table when missing
    return createSessionManager({ store: sessionStore, secrets: [SECRET], ...options });
  }
  if (store === 'redis') {
    const { redisStore } = await import('@fetch-session/redis');
    const client = await nodeRedis();
    return createSessionManager({ store: redisStore({ client }), secrets: [SECRET], ...options });
  }
  throw new Error(`unknown store ${store}`);
}

/** @fetch-session/hono with one of our stores. */
async function fetchSessionHono(store) {
  const { sessionMiddleware } = await import('@fetch-session/hono');
  const sessions = await fetchSessionManager(store);
  return honoApp({
    middleware: [sessionMiddleware({ sessions })],
    read: async (c) => (await c.var.session.get('count')) ?? 0,
    count: async (c) => {
      const count = ((await c.var.session.get('count')) ?? 0) + 1;
      await c.var.session.set('count', count);
      return count;
    },
  });
}

/** Express + express-session on `store` (its default MemoryStore when undefined). */
async function expressSessionApp(store) {
  const { default: session } = await import('express-session');
  return expressApp({
    // Its README's recommendations: no resave, no empty sessions.
    middleware: [session({ secret: SECRET, resave: false, saveUninitialized: false, store })],
    read: (req) => req.session.count ?? 0,
    count: (req) => {
      req.session.count = (req.session.count ?? 0) + 1;
      return req.session.count;
    },
  });
}

/** Express + @fetch-session/node's `expressSession` with one of our stores. */
async function fetchSessionExpress(store) {
  const { expressSession, getSession } = await import('@fetch-session/node');
  const sessions = await fetchSessionManager(store);
  return expressApp({
    middleware: [expressSession(sessions)],
    read: async (req) => (await getSession(req).get('count')) ?? 0,
    count: async (req) => {
      const session = getSession(req);
      const count = ((await session.get('count')) ?? 0) + 1;
      await session.set('count', count);
      return count;
    },
  });
}

async function honoSessions(storeName) {
  const { sessionMiddleware, MemoryStore, CookieStore } = await import('hono-sessions');
  const store = storeName === 'memory' ? new MemoryStore() : new CookieStore();
  return honoApp({
    middleware: [
      sessionMiddleware({
        store,
        encryptionKey: SECRET, // "Required for CookieStore, recommended for others"
        expireAfterSeconds: 86_400,
        cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
      }),
    ],
    read: (c) => c.get('session').get('count') ?? 0,
    count: (c) => {
      const session = c.get('session');
      const count = (session.get('count') ?? 0) + 1;
      session.set('count', count);
      return count;
    },
  });
}

async function honoSession() {
  const { useSession } = await import('@hono/session');
  return honoApp({
    middleware: [useSession({ secret: SECRET, duration: { absolute: 86_400 } })],
    read: async (c) => (await c.var.session.get())?.count ?? 0,
    count: async (c) => {
      await c.var.session.update((data) => ({ count: (data?.count ?? 0) + 1 }));
      return c.var.session.data.count;
    },
  });
}

async function ironSession() {
  const { getIronSession } = await import('iron-session');
  const options = { password: SECRET, cookieName: 'iron', ttl: 86_400 };
  return honoApp({
    read: async (c) => {
      const session = await getIronSession(c.req.raw, new Headers(), options);
      return session.count ?? 0;
    },
    count: async (c) => {
      const headers = new Headers();
      const session = await getIronSession(c.req.raw, headers, options);
      session.count = (session.count ?? 0) + 1;
      await session.save();
      for (const cookie of headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
      return session.count;
    },
  });
}

/** name → builder. */
export const APPS = {
  hono: () =>
    honoApp({
      read: () => counter,
      count: () => ++counter,
    }),
  'hono-noop': () =>
    honoApp({
      middleware: [
        async (_c, next) => {
          await next();
        },
      ],
      read: () => counter,
      count: () => ++counter,
    }),
  // What every session route must add: `Vary: Cookie`, set the way @fetch-session/hono sets it.
  'hono-vary': () => varyApp([]),
  // The same behind a no-op middleware: what any session middleware on Hono starts from.
  'hono-noop-vary': () =>
    varyApp([
      async (_c, next) => {
        await next();
      },
    ]),
  'fs-memory': () => fetchSessionHono('memory'),
  'fs-cookie': () => fetchSessionHono('cookie'),
  'fs-upstash': () => fetchSessionHono('upstash'),
  'hono-sessions-memory': () => honoSessions('memory'),
  'hono-sessions-cookie': () => honoSessions('cookie'),
  'hono-session': honoSession,
  'iron-session': ironSession,
  express: () => expressApp({ read: () => counter, count: () => ++counter }),
  'express-session': () => expressSessionApp(),
  'express-session-pg': async () => {
    const { default: session } = await import('express-session');
    const { default: connectPgSimple } = await import('connect-pg-simple');
    const PgStore = connectPgSimple(session);
    return expressSessionApp(new PgStore({ pool: await pgPool() }));
  },
  'express-session-redis': async () => {
    const { RedisStore } = await import('connect-redis');
    return expressSessionApp(new RedisStore({ client: await nodeRedis() }));
  },
  'fs-express': () => fetchSessionExpress('memory'),
  'fs-express-pg': () => fetchSessionExpress('postgres-pg'),
  'fs-express-postgres-js': () => fetchSessionExpress('postgres-js'),
  'fs-express-redis': () => fetchSessionExpress('redis'),
  'node-http': () => {
    const routes = nodeRoutes({ read: () => counter, count: () => ++counter });
    return { listener: (req, res) => routes(req, res, undefined) };
  },
  'node-vary': () => {
    const routes = nodeRoutes({ read: () => counter, count: () => ++counter, vary: true });
    return { listener: (req, res) => routes(req, res, undefined) };
  },
  'fs-node-http': async () => {
    const { withNodeSession } = await import('@fetch-session/node');
    const sessions = await fetchSessionManager('memory');
    const routes = nodeRoutes({
      read: async (session) => (await session.get('count')) ?? 0,
      count: async (session) => {
        const count = ((await session.get('count')) ?? 0) + 1;
        await session.set('count', count);
        return count;
      },
    });
    return { listener: withNodeSession(sessions, routes) };
  },
};
