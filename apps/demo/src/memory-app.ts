import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import type { Hono } from 'hono';
import { createDemoApp } from './app.js';
import type { DemoEnv } from './context.js';
import { sessionSecret } from './secret.js';
import { sessionCookie } from './session-cookie.js';
import type { DemoData, DemoFlash } from './session-types.js';
import { debugRoutesSetting } from './settings.js';

/** What the Bun and Deno entry points read from their environment. */
export interface MemoryDemoConfig {
  /** `SESSION_SECRET`; without it, development uses a random one (with a warning). */
  secret: string | undefined;
  /** `NODE_ENV === 'production'`. */
  production: boolean;
  /** `DEMO_DEBUG_ROUTES`. */
  debugRoutes: string | undefined;
}

/** What the Bun and Deno entry points pass to `app.fetch`: the peer address of the request. */
export type MemoryDemoEnv = DemoEnv & { Bindings: { clientAddress: string | undefined } };

/** The demo with sessions in memory, as the Bun and Deno entry points serve it. */
export function createMemoryDemoApp(config: MemoryDemoConfig): Hono<MemoryDemoEnv> {
  const sessions = createSessionManager<DemoData, DemoFlash>({
    store: memoryStore({ maxEntries: 50_000 }),
    secrets: [sessionSecret(config.secret, config.production, console.warn)],
    cookie: sessionCookie,
  });
  return createDemoApp<MemoryDemoEnv>({
    sessions,
    debugRoutes: debugRoutesSetting(config.debugRoutes, config.production),
    clientAddress: (c) => c.env.clientAddress,
  });
}
