import type { SessionManager } from '@fetch-session/core';
import { sessionMiddleware } from '@fetch-session/hono';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import type { DemoEnv } from './context.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';
import { account } from './routes/account.js';
import { auth } from './routes/auth.js';
import { basics } from './routes/basics.js';
import { cart } from './routes/cart.js';
import { debug } from './routes/debug.js';
import { passwords } from './routes/passwords.js';
import { preferences } from './routes/preferences.js';
import { wizard } from './routes/wizard.js';
import type { DemoData, DemoFlash } from './session-types.js';

/** The largest request body the demo reads. Its forms are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Options of {@link createDemoApp}. */
export interface DemoAppOptions<E extends DemoEnv = DemoEnv> {
  /** The session manager, or a function returning it per request (Workers KV from `c.env`). */
  sessions:
    | SessionManager<DemoData, DemoFlash>
    | ((c: Context<E>) => SessionManager<DemoData, DemoFlash>);
  /** Mounts `/debug/session` (`DEMO_DEBUG_ROUTES=1`); otherwise it answers 404. */
  debugRoutes: boolean;
  /**
   * The client's address as the runtime reports the connection (Node's socket, Bun's
   * `requestIP`, Deno's `remoteAddr`, Cloudflare's `CF-Connecting-IP`), for login throttling.
   * Never a header the client sets itself, such as `X-Forwarded-For` without a trusted proxy.
   */
  clientAddress: (c: Context<E>) => string | undefined;
  /** @default a {@link createLoginThrottle} in memory, one per app */
  loginThrottle?: LoginThrottle;
}

/** The demo app: the same code on Node, Bun, Deno and Workers; only the entry points differ. */
export function createDemoApp<E extends DemoEnv = DemoEnv>(options: DemoAppOptions<E>): Hono<E> {
  const app = new Hono<E>();
  // First of all: a body over the limit is refused from its Content-Length, or as soon as a
  // chunked one passes the limit, before anything buffers or parses it.
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.text('Payload Too Large', 413, { Connection: 'close' }),
    }),
  );
  // Form posts must come from this origin (Hono's csrf checks Origin and Sec-Fetch-Site).
  app.use(csrf());
  const loginThrottle = options.loginThrottle ?? createLoginThrottle();
  app.use(async (c, next) => {
    c.set('loginThrottle', loginThrottle);
    c.set('clientAddress', options.clientAddress(c));
    await next();
  });
  app.use(sessionMiddleware<DemoData, DemoFlash, E>({ sessions: options.sessions }));
  const routes = [basics, auth, account, passwords, cart, preferences, wizard];
  if (options.debugRoutes) routes.push(debug);
  for (const group of routes) app.route('/', group as unknown as Hono<E>);
  return app;
}
