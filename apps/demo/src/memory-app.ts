import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import type { Hono } from 'hono';
import { createDemoApp } from './app.js';
import type { DemoEnv } from './context.js';
import { sessionSecret } from './secret.js';
import type { DemoData, DemoFlash } from './session-types.js';

/** What the Bun and Deno entry points read from their environment. */
export interface MemoryDemoConfig {
  /** `SESSION_SECRET`; without it, development uses a random one (with a warning). */
  secret: string | undefined;
  /** `NODE_ENV === 'production'`. */
  production: boolean;
}

/** The demo with sessions in memory, as the Bun and Deno entry points serve it. */
export function createMemoryDemoApp(config: MemoryDemoConfig): Hono<DemoEnv> {
  const sessions = createSessionManager<DemoData, DemoFlash>({
    store: memoryStore({ maxEntries: 50_000 }),
    secrets: [sessionSecret(config.secret, config.production, console.warn)],
    // Browsers accept Secure cookies on http://localhost; elsewhere serve the demo over HTTPS.
    cookie: { name: 'sid' },
  });
  return createDemoApp({ sessions, production: config.production });
}
