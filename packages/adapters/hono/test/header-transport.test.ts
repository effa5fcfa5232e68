import { createSessionManager } from '@fetch-session/core';
import { type ScenarioData, type ScenarioFlash, scenarioRoutes } from '@fetch-session/core/testing';
import { type SessionEnv, sessionMiddleware } from '@fetch-session/hono';
import { memoryStore } from '@fetch-session/memory';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describe, expect, it } from 'vitest';

const sessions = createSessionManager<ScenarioData, ScenarioFlash>({
  store: memoryStore(),
  secrets: 'hono-header-transport-secret-0123456789',
  transport: { header: 'x-session' },
});
const app = new Hono<SessionEnv<ScenarioData, ScenarioFlash>>();
app.use(sessionMiddleware({ sessions }));
for (const route of scenarioRoutes) {
  app.on(route.method, route.path, async (c) => {
    const reply = await route.handle(c.var.session);
    return c.body(reply.body, reply.status as ContentfulStatusCode, reply.headers);
  });
}

describe('hono: header transport (x-session)', () => {
  it('F5: the scenario counter and login run on the x-session header, with no cookie headers', async () => {
    const first = await app.request('/count');
    const id = first.headers.get('x-session') as string;
    expect(await first.text()).toBe('count=1');
    expect(first.headers.get('set-cookie')).toBeNull();
    const second = await app.request('/count', { headers: { 'x-session': id } });
    expect(await second.text()).toBe('count=2');
    expect(second.headers.get('set-cookie')).toBeNull();
    expect(second.headers.get('vary')).toContain('x-session');

    const login = await app.request('/login', { method: 'POST', headers: { 'x-session': id } });
    const rotated = login.headers.get('x-session') as string;
    expect(rotated).toMatch(/\./);
    expect(rotated).not.toBe(id);
    expect(await (await app.request('/peek', { headers: { 'x-session': id } })).text()).toBe(
      'user=none',
    );
    expect(await (await app.request('/peek', { headers: { 'x-session': rotated } })).text()).toBe(
      'user=ada',
    );
  });

  it('F5: a forged or huge x-session header is a new session, not an error (S33)', async () => {
    for (const value of ['forged.value', 'x'.repeat(100_000)]) {
      const response = await app.request('/count', { headers: { 'x-session': value } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('count=1');
    }
  });
});
