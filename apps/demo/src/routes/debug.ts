import { Hono } from 'hono';
import type { DemoEnv } from '../context.js';

/** The session as JSON, for development only. */
export const debug = new Hono<DemoEnv>();

debug.get('/debug/session', async (c) => {
  if (c.var.production) return c.text('Not available in production', 403);
  return c.json(await c.var.session.all());
});
