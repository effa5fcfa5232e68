import type { SessionManager } from '@fetch-session/core';
import { sessionMiddleware } from '@fetch-session/hono';
import { type Context, Hono } from 'hono';
import { csrf } from 'hono/csrf';
import type { DemoEnv } from './context.js';
import { account } from './routes/account.js';
import { auth } from './routes/auth.js';
import { basics } from './routes/basics.js';
import { cart } from './routes/cart.js';
import { debug } from './routes/debug.js';
import { preferences } from './routes/preferences.js';
import { wizard } from './routes/wizard.js';
import type { DemoData, DemoFlash } from './session-types.js';

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions<E extends DemoEnv = DemoEnv> {
  /** The session manager, or a function returning it per request (Workers KV from `c.env`). */
  sessions:
    | SessionManager<DemoData, DemoFlash>
    | ((c: Context<E>) => SessionManager<DemoData, DemoFlash>);
  /** Production hides `/debug/session`. */
  production: boolean;
}

/** The demo app: the same code on Node, Bun, Deno and Workers; only the entry points differ. */
export function createDemoApp<E extends DemoEnv = DemoEnv>(options: DemoAppOptions<E>): Hono<E> {
  const app = new Hono<E>();
  // Form posts must come from this origin (Hono's csrf checks Origin on form submissions).
  app.use(csrf());
  app.use(async (c, next) => {
    c.set('production', options.production);
    await next();
  });
  app.use(sessionMiddleware<DemoData, DemoFlash, E>({ sessions: options.sessions }));
  for (const routes of [basics, auth, account, cart, preferences, wizard, debug])
    app.route('/', routes as unknown as Hono<E>);
  return app;
}
