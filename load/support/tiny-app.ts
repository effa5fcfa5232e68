/**
 * A tiny Hono app on @fetch-session/hono, served over real HTTP by @hono/node-server on a free
 * loopback port in this process (disposable: `close()` ends every connection).
 *
 * Routes:
 * - `POST /set/:key` (body: the value): sets one key.
 * - `GET /all`: the whole session as JSON (loads it; writes nothing).
 * - `GET /read`: reads `visits` only; never writes, so a new visitor gets no record or cookie.
 * - `POST /visit`: increments `visits` and answers `{ visits, marker }`.
 *
 * A store failure answers `503` with the failed operation as the body (`load`, `write`, ...),
 * so a test can tell a refused load (nothing written) from a failed write (maybe applied).
 */
import type { AddressInfo } from 'node:net';
import type { SessionManager } from '@fetch-session/core';
import { type SessionEnv, sessionMiddleware } from '@fetch-session/hono';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

export type TinyData = Record<string, unknown>;
export type TinyManager = SessionManager<TinyData, TinyData>;

export function createTinyApp(sessions: TinyManager): Hono<SessionEnv<TinyData, TinyData>> {
  const app = new Hono<SessionEnv<TinyData, TinyData>>();
  app.use(
    sessionMiddleware<TinyData, TinyData>({
      sessions,
      onStoreError: (error) =>
        new Response(error.operation, {
          status: 503,
          headers: { 'retry-after': '1', 'cache-control': 'no-store' },
        }),
    }),
  );
  app.post('/set/:key', async (c) => {
    await c.var.session.set(c.req.param('key'), await c.req.text());
    return c.text('ok');
  });
  app.get('/all', async (c) => c.json(await c.var.session.all()));
  app.get('/read', async (c) => c.json({ visits: (await c.var.session.get('visits')) ?? null }));
  app.post('/visit', async (c) => {
    const visits = (((await c.var.session.get('visits')) as number | undefined) ?? 0) + 1;
    await c.var.session.set('visits', visits);
    return c.json({ visits, marker: (await c.var.session.get('marker')) ?? null });
  });
  return app;
}

export interface HttpApp {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 and a free port. */
export function serveHttp(
  fetch: (request: Request) => Response | Promise<Response>,
): Promise<HttpApp> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}
