import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionManager } from '@fetch-session/core';
import {
  describeAdapterScenarios,
  type ScenarioData,
  type ScenarioFlash,
  type ScenarioServer,
  scenarioRoutes,
} from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession, withNodeSession } from '@fetch-session/node';
import { serveFetch } from '@fetch-session/node/fetch';
import express from 'express';

type Manager = SessionManager<ScenarioData, ScenarioFlash>;

function listen(server: Server): Promise<ScenarioServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        fetch: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function route(method: string, url: string | undefined) {
  return scenarioRoutes.find((r) => r.method === method && r.path === url);
}

describeAdapterScenarios({
  name: 'node (Express 5)',
  createStore: () => memoryStore(),
  serve: (sessions: Manager) => {
    const app = express();
    app.use(expressSession(sessions));
    for (const r of scenarioRoutes) {
      app[r.method === 'GET' ? 'get' : 'post'](r.path, async (req, res) => {
        const reply = await r.handle(getSession(req, sessions));
        res.status(reply.status).set(reply.headers).send(reply.body);
      });
    }
    return listen(createServer(app));
  },
});

describeAdapterScenarios({
  name: 'node (node:http handler)',
  createStore: () => memoryStore(),
  serve: (sessions: Manager) =>
    listen(
      createServer(
        withNodeSession(sessions, async (req, res, session) => {
          const r = route(req.method ?? 'GET', req.url);
          if (r === undefined) {
            res.writeHead(404).end();
            return;
          }
          const reply = await r.handle(session);
          res.writeHead(reply.status, reply.headers).end(reply.body);
        }),
      ),
    ),
});

describeAdapterScenarios({
  name: 'node (fetch handler bridge)',
  createStore: () => memoryStore(),
  serve: (sessions: Manager) =>
    listen(
      createServer(
        serveFetch(sessions, async (request, session) => {
          const r = route(request.method, new URL(request.url).pathname);
          if (r === undefined) return new Response('Not Found', { status: 404 });
          const reply = await r.handle(session);
          return new Response(reply.body, { status: reply.status, headers: reply.headers });
        }),
      ),
    ),
});
