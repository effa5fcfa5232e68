import type { AddressInfo } from 'node:net';
import type { SessionManager } from '@fetch-session/core';
import {
  describeAdapterScenarios,
  type ScenarioData,
  type ScenarioFlash,
  type ScenarioServer,
  scenarioRoutes,
} from '@fetch-session/core/testing';
import { type SessionEnv, sessionMiddleware } from '@fetch-session/hono';
import { memoryStore } from '@fetch-session/memory';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

function createApp(
  sessions: SessionManager<ScenarioData, ScenarioFlash>,
): Hono<SessionEnv<ScenarioData, ScenarioFlash>> {
  const app = new Hono<SessionEnv<ScenarioData, ScenarioFlash>>();
  app.use(sessionMiddleware({ sessions }));
  for (const route of scenarioRoutes) {
    app.on(route.method, route.path, async (c) => {
      const reply = await route.handle(c.var.session);
      return c.body(reply.body, reply.status as ContentfulStatusCode, reply.headers);
    });
  }
  return app;
}

describeAdapterScenarios({
  name: 'hono (app.request)',
  createStore: () => memoryStore(),
  serve: async (sessions) => {
    const app = createApp(sessions);
    return { fetch: async (path, init) => app.request(path, init), close: async () => {} };
  },
});

describeAdapterScenarios({
  name: 'hono (@hono/node-server over HTTP)',
  createStore: () => memoryStore(),
  serve: (sessions) =>
    new Promise<ScenarioServer>((resolve) => {
      const server = serve(
        { fetch: createApp(sessions).fetch, hostname: '127.0.0.1', port: 0 },
        (info: AddressInfo) => {
          const origin = `http://127.0.0.1:${info.port}`;
          resolve({
            fetch: (path, init) => fetch(origin + path, init),
            close: () => new Promise((done) => server.close(() => done())),
          });
        },
      );
    }),
});
