/**
 * The servers of the peer benchmark (what the parent process needs to know; the apps
 * themselves are built in apps.js, in each server's own process).
 *
 * Every server answers the same three routes: `/bare` (no session access), `/read` (reads a
 * counter) and `/counter` (reads, increments, writes). A measurement is one server and one of
 * its measured routes; `new` is `/counter` requested without a cookie (every request a new
 * visitor).
 */

/** Measured routes; `new` is `/counter` for a visitor without a cookie. */
export const ROUTES = ['/bare', '/read', '/counter', 'new'];
const ALL_ROUTES = ROUTES;
export const ROUTE_LABELS = {
  '/bare': '`/bare`',
  '/read': '`/read`',
  '/counter': '`/counter`',
  new: 'new visitor',
};
const SESSION_ROUTES = ['/read', '/counter', 'new'];

/**
 * `kind`: `baseline` (a framework without sessions), `floor` (bare Hono with the least a
 * session route must add), `ours`, `adapter` (ours on another framework) or `peer`.
 * `framework`: whose bare server the "× framework" ratio uses. `protects`: what the cookie
 * carries and how it is protected (peers that sign or encrypt count for the 2.5x target).
 * `packages`: versions to record. `routes`: which routes are measured. `preloads`: loads the
 * session before the route runs (our Node adapters), so `/bare` costs one store read too.
 * `databases`: measured by `npm run bench:databases` (on the `database` it names), not by
 * `npm run bench:peers`.
 */
export const SERVERS = {
  hono: {
    label: 'Hono, no sessions',
    kind: 'baseline',
    framework: 'hono',
    routes: ['/bare'],
    packages: ['hono', '@hono/node-server'],
  },
  'hono-noop': {
    label: 'floor: Hono + no-op middleware',
    kind: 'floor',
    framework: 'hono',
    routes: ['/bare'],
    packages: ['hono'],
  },
  'hono-vary': {
    label: 'floor: Hono, route sets `Vary: Cookie`',
    kind: 'floor',
    framework: 'hono',
    routes: ['/read', '/counter'],
    packages: ['hono'],
  },
  'hono-noop-vary': {
    label: 'floor: Hono + no-op middleware, route sets `Vary: Cookie`',
    kind: 'floor',
    framework: 'hono',
    routes: ['/read', '/counter'],
    packages: ['hono'],
  },
  'fs-memory': {
    label: '@fetch-session/hono, memory store',
    kind: 'ours',
    framework: 'hono',
    store: 'memory',
    protects: 'signed ID (HMAC-SHA256)',
    routes: ALL_ROUTES,
    packages: [
      '@fetch-session/core',
      '@fetch-session/hono',
      '@fetch-session/memory',
      '@fetch-session/cookie',
      '@fetch-session/upstash',
      '@fetch-session/node',
      '@fetch-session/cloudflare-kv',
    ],
  },
  'fs-cookie': {
    label: '@fetch-session/hono, cookie store',
    kind: 'ours',
    framework: 'hono',
    store: 'cookie',
    protects: 'encrypted data (JWE A256GCM)',
    routes: ALL_ROUTES,
    packages: ['jose'],
  },
  'fs-upstash': {
    label: '@fetch-session/hono, Upstash store (local REST + redis-server)',
    kind: 'ours',
    framework: 'hono',
    store: 'upstash',
    protects: 'signed ID (HMAC-SHA256)',
    routes: ALL_ROUTES,
    needsUpstash: true,
    packages: ['@upstash/redis', 'ioredis'],
  },
  'hono-sessions-memory': {
    label: 'hono-sessions, MemoryStore',
    kind: 'peer',
    framework: 'hono',
    protects: 'encrypted ID (iron)',
    routes: ALL_ROUTES,
    packages: ['hono-sessions'],
  },
  'hono-sessions-cookie': {
    label: 'hono-sessions, CookieStore',
    kind: 'peer',
    framework: 'hono',
    protects: 'encrypted data (iron)',
    routes: ALL_ROUTES,
    packages: ['hono-sessions'],
  },
  'hono-session': {
    label: '@hono/session',
    kind: 'peer',
    framework: 'hono',
    protects: 'encrypted data (JWE A256GCM)',
    routes: ALL_ROUTES,
    packages: ['@hono/session'],
  },
  'iron-session': {
    label: 'iron-session on Hono (getIronSession per route)',
    kind: 'peer',
    framework: 'hono',
    protects: 'encrypted data (iron)',
    // No middleware: `/bare` never calls getIronSession, so it is bare Hono by construction.
    routes: SESSION_ROUTES,
    packages: ['iron-session'],
  },
  express: {
    label: 'Express, no sessions',
    kind: 'baseline',
    framework: 'express',
    routes: ['/bare'],
    packages: ['express'],
  },
  'express-session': {
    label: 'Express + express-session, MemoryStore',
    kind: 'peer',
    framework: 'express',
    protects: 'signed ID (HMAC-SHA256)',
    routes: ALL_ROUTES,
    packages: ['express-session'],
  },
  'fs-express': {
    label: 'Express + @fetch-session/node `expressSession`, memory store',
    kind: 'adapter',
    framework: 'express',
    store: 'memory',
    preloads: true,
    protects: 'signed ID (HMAC-SHA256)',
    routes: ALL_ROUTES,
    packages: [],
  },
  'node-http': {
    label: 'node:http, no sessions',
    kind: 'baseline',
    framework: 'node',
    routes: ['/bare'],
    packages: [],
  },
  'node-vary': {
    label: 'floor: node:http, route sets `Vary: Cookie`',
    kind: 'floor',
    framework: 'node',
    routes: ['/read', '/counter'],
    packages: [],
  },
  'fs-node-http': {
    label: 'node:http + @fetch-session/node `withNodeSession`, memory store',
    kind: 'adapter',
    framework: 'node',
    store: 'memory',
    preloads: true,
    protects: 'signed ID (HMAC-SHA256)',
    routes: ALL_ROUTES,
    packages: [],
  },
  'express-session-pg': {
    label: 'Express + express-session + connect-pg-simple (pg)',
    kind: 'peer',
    framework: 'express',
    databases: true,
    database: 'postgres',
    protects: 'signed ID (HMAC-SHA256)',
    routes: SESSION_ROUTES,
    packages: ['connect-pg-simple', 'pg'],
  },
  'fs-express-pg': {
    label: 'Express + @fetch-session/node, PostgreSQL store (pg)',
    kind: 'adapter',
    framework: 'express',
    store: 'postgres',
    preloads: true,
    databases: true,
    database: 'postgres',
    protects: 'signed ID (HMAC-SHA256)',
    routes: SESSION_ROUTES,
    packages: ['@fetch-session/postgres', 'pg'],
  },
  'fs-express-postgres-js': {
    label: 'Express + @fetch-session/node, PostgreSQL store (postgres.js)',
    kind: 'adapter',
    framework: 'express',
    store: 'postgres',
    preloads: true,
    databases: true,
    database: 'postgres',
    protects: 'signed ID (HMAC-SHA256)',
    routes: SESSION_ROUTES,
    packages: ['postgres'],
  },
  'express-session-redis': {
    label: 'Express + express-session + connect-redis (node-redis)',
    kind: 'peer',
    framework: 'express',
    databases: true,
    database: 'redis',
    protects: 'signed ID (HMAC-SHA256)',
    routes: SESSION_ROUTES,
    packages: ['connect-redis', 'redis'],
  },
  'fs-express-redis': {
    label: 'Express + @fetch-session/node, Redis store (node-redis)',
    kind: 'adapter',
    framework: 'express',
    store: 'redis',
    preloads: true,
    databases: true,
    database: 'redis',
    protects: 'signed ID (HMAC-SHA256)',
    routes: SESSION_ROUTES,
    packages: ['@fetch-session/redis', 'redis'],
  },
};

/** The bare server of each framework, for the "× framework" ratio. */
export const FRAMEWORK_BASELINE = { hono: 'hono', express: 'express', node: 'node-http' };
