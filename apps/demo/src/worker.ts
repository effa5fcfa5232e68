/**
 * The demo on Cloudflare Workers: sessions in Workers KV. Bindings (see apps/demo/README.md):
 * - `SESSIONS`: a KV namespace.
 * - `SESSION_SECRET`: 32+ bytes (`wrangler secret put SESSION_SECRET`); required in production.
 * - `ENVIRONMENT`: `production` requires the secret.
 * - `DEMO_DEBUG_ROUTES`: `1` mounts `/debug/session` (refused in production).
 *
 * Bundle it as Wrangler would (esbuild, ESM); `npm run dev:worker` serves it locally in workerd.
 */
import { cloudflareKvStore, type KvNamespaceLike } from '@fetch-session/cloudflare-kv';
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import type { ExecutionContext, Hono } from 'hono';
import { createDemoApp } from './app.js';
import type { DemoEnv } from './context.js';
import { sessionSecret } from './secret.js';
import { sessionCookie } from './session-cookie.js';
import type { DemoData, DemoFlash } from './session-types.js';
import { debugRoutesSetting } from './settings.js';

/** The Worker's bindings. `KVNamespace` from `@cloudflare/workers-types` fits `SESSIONS`. */
export interface DemoWorkerBindings {
  SESSIONS: KvNamespaceLike;
  SESSION_SECRET?: string;
  ENVIRONMENT?: string;
  DEMO_DEBUG_ROUTES?: string;
}

export type DemoWorkerEnv = DemoEnv & { Bindings: DemoWorkerBindings };

type DemoSessions = SessionManager<DemoData, DemoFlash>;

// One manager per KV binding and isolate: the store keeps its write queue (one write per key per
// second) and its memory of destroyed sessions, the manager its verified-cookie cache.
const managers = new WeakMap<KvNamespaceLike, DemoSessions>();

function sessionsFor(env: DemoWorkerBindings, production: boolean): DemoSessions {
  let sessions = managers.get(env.SESSIONS);
  if (sessions === undefined) {
    sessions = createSessionManager<DemoData, DemoFlash>({
      store: cloudflareKvStore({ namespace: env.SESSIONS }),
      secrets: [sessionSecret(env.SESSION_SECRET, production, console.warn)],
      cookie: sessionCookie,
    });
    managers.set(env.SESSIONS, sessions);
  }
  return sessions;
}

// Built on the first request: bindings (and so the production flag) arrive with it.
let app: Hono<DemoWorkerEnv> | undefined;

function demoApp(env: DemoWorkerBindings): Hono<DemoWorkerEnv> {
  if (app === undefined) {
    const production = env.ENVIRONMENT === 'production';
    app = createDemoApp<DemoWorkerEnv>({
      sessions: (c) => sessionsFor(c.env, production),
      debugRoutes: debugRoutesSetting(env.DEMO_DEBUG_ROUTES, production),
      // Cloudflare sets it from the connection; a client cannot choose it.
      clientAddress: (c) => c.req.header('cf-connecting-ip'),
    });
  }
  return app;
}

export default {
  fetch(
    request: Request,
    env: DemoWorkerBindings,
    ctx: ExecutionContext,
  ): Response | Promise<Response> {
    return demoApp(env).fetch(request, env, ctx);
  },
};
