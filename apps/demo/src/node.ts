import { createSessionManager, type SessionStore } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createDemoApp } from './app.js';
import { sessionSecret } from './secret.js';
import { sessionCookie } from './session-cookie.js';
import type { DemoData, DemoFlash } from './session-types.js';
import { debugRoutesSetting } from './settings.js';

const production = process.env.NODE_ENV === 'production';

/** Upstash Redis when its REST URL and token are set (as `Redis.fromEnv()` reads them), else memory. */
async function chooseStore(): Promise<{ store: SessionStore; label: string }> {
  // DATABASE_URL=postgres://user@host:port/db: PostgreSQL (the table is created if missing).
  if (process.env.DATABASE_URL) {
    const [{ postgresStore, startSweeper }, { default: postgres }] = await Promise.all([
      import('@fetch-session/postgres'),
      import('postgres'),
    ]);
    const store = postgresStore({
      sql: postgres(process.env.DATABASE_URL, { connect_timeout: 5 }),
    });
    await store.migrate();
    startSweeper(store);
    return { store, label: 'PostgreSQL' };
  }
  // REDIS_URL=redis://host:port, or REDIS_CLUSTER_NODES=host:port,host:port,... for a Cluster.
  if (process.env.REDIS_CLUSTER_NODES || process.env.REDIS_URL) {
    const { redisStoreFromEnv } = await import('@fetch-session/redis');
    const redis = await redisStoreFromEnv(process.env, {
      onError: (error) => console.error('[demo] redis:', (error as Error).name),
    });
    if (redis) return { store: redis.store, label: redis.cluster ? 'Redis Cluster' : 'Redis' };
  }
  if (process.env.UPSTASH_REDIS_REST_URL && process.env.UPSTASH_REDIS_REST_TOKEN) {
    const { upstashStore } = await import('@fetch-session/upstash');
    return { store: upstashStore(), label: 'Upstash Redis' };
  }
  return { store: memoryStore({ maxEntries: 50_000 }), label: 'memory' };
}

const { store, label } = await chooseStore();
const sessions = createSessionManager<DemoData, DemoFlash>({
  store,
  secrets: [sessionSecret(process.env.SESSION_SECRET, production, console.warn)],
  cookie: sessionCookie,
});
const app = createDemoApp({
  sessions,
  debugRoutes: debugRoutesSetting(process.env.DEMO_DEBUG_ROUTES, production),
  clientAddress: (c) => getConnInfo(c).remote.address,
});

const port = Number(process.env.PORT ?? 3000);
const server = serve(
  { fetch: app.fetch, port, hostname: process.env.HOST ?? 'localhost' },
  (info) => {
    console.log(`[demo] listening on http://localhost:${info.port} (sessions in ${label})`);
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
