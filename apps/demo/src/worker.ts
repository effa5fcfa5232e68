/**
 * The demo on Cloudflare Workers: sessions in Workers KV, or in Durable Objects when the
 * `SESSION_OBJECTS` binding exists (strongly consistent: a revocation holds on the next request
 * everywhere). Bindings (see apps/demo/README.md):
 * - `SESSIONS`: a KV namespace.
 * - `SESSION_OBJECTS`: optional, a Durable Object namespace of the exported `SessionObject`.
 * - `SESSION_SECRET`: 32+ bytes (`wrangler secret put SESSION_SECRET`); required in production.
 * - `ENVIRONMENT`: `production` requires the secret.
 * - `DEMO_DEBUG_ROUTES`: `1` mounts `/debug/session` (refused in production).
 *
 * Bundle it as Wrangler would (esbuild, ESM); `npm run dev:worker` serves it locally in workerd.
 */
import { cloudflareKvStore, type KvNamespaceLike } from '@fetch-session/cloudflare-kv';
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { durableObjectStore, type SessionObjectNamespace } from '@fetch-session/durable-objects';
import type { ExecutionContext, Hono } from 'hono';
import { createDemoApp } from './app.js';
import type { DemoEnv } from './context.js';
import { sessionSecret } from './secret.js';
import { sessionCookie } from './session-cookie.js';
import type { DemoData, DemoFlash } from './session-types.js';
import { debugRoutesSetting } from './settings.js';

// The Durable Object class the SESSION_OBJECTS binding names (wrangler.toml: new_sqlite_classes).
export { SessionObject } from '@fetch-session/durable-objects';

/** The Worker's bindings. `KVNamespace` from `@cloudflare/workers-types` fits `SESSIONS`. */
export interface DemoWorkerBindings {
  SESSIONS: KvNamespaceLike;
  SESSION_OBJECTS?: SessionObjectNamespace;
  SESSION_SECRET?: string;
  ENVIRONMENT?: string;
  DEMO_DEBUG_ROUTES?: string;
}

export type DemoWorkerEnv = DemoEnv & { Bindings: DemoWorkerBindings };

type DemoSessions = SessionManager<DemoData, DemoFlash>;

// One manager per binding and isolate: the KV store keeps its write queue (one write per key per
// second) and its memory of destroyed sessions, the manager its verified-cookie cache.
const managers = new WeakMap<object, DemoSessions>();

function sessionsFor(env: DemoWorkerBindings, production: boolean): DemoSessions {
  const binding = env.SESSION_OBJECTS ?? env.SESSIONS;
  let sessions = managers.get(binding);
  if (sessions === undefined) {
    sessions = createSessionManager<DemoData, DemoFlash>({
      store:
        env.SESSION_OBJECTS === undefined
          ? cloudflareKvStore({ namespace: env.SESSIONS })
          : durableObjectStore({ namespace: env.SESSION_OBJECTS }),
      secrets: [sessionSecret(env.SESSION_SECRET, production, console.warn)],
      cookie: sessionCookie,
    });
    managers.set(binding, sessions);
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
