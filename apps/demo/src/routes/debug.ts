import { Hono } from 'hono';
import type { DemoEnv } from '../context.js';

/**
 * The session as JSON, for development. Mounted only when `DEMO_DEBUG_ROUTES=1`: otherwise the
 * route does not exist (404), whatever the environment is called.
 */
export const debug = new Hono<DemoEnv>();

debug.get('/debug/session', async (c) => c.json(await c.var.session.all()));
