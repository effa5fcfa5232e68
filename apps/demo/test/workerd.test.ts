import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDemoBehaviour } from './behaviour.js';
import { createClient, SESSION_COOKIE } from './demo-client.js';
import { describeDebugRoutes } from './runtimes/debug-routes.js';
import { type RunningWorkerDemo, startWorkerdDemo } from './runtimes/workerd.js';

// src/worker.ts in workerd (Miniflare), sessions in a real KV namespace.
describeDemoBehaviour('workerd (Workers KV)', () => startWorkerdDemo());
describeDemoBehaviour('workerd (Durable Objects)', () =>
  startWorkerdDemo({}, { store: 'durable-objects' }),
);
describeDebugRoutes(
  'workerd',
  ({ production, debugRoutes }) =>
    startWorkerdDemo({
      ENVIRONMENT: production ? 'production' : 'development',
      ...(debugRoutes ? { DEMO_DEBUG_ROUTES: '1' } : {}),
    }),
  'answers 500',
);

describe('demo on workerd: the sessions are in KV', () => {
  let demo: RunningWorkerDemo;
  beforeAll(async () => {
    demo = await startWorkerdDemo();
  });
  afterAll(async () => {
    await demo?.stop();
  });

  it('writes one KV record per session, and deletes it at logout', async () => {
    const browser = createClient(demo.origin);
    expect(await browser.text('GET', '/')).toContain('You have visited this page 1 times');
    const [record, ...more] = await demo.kvKeys();
    expect(record).toBeDefined();
    expect(more).toEqual([]);
    expect(record).not.toContain(browser.jar.get(SESSION_COOKIE)?.split('.')[0]);
    await browser.request('POST', '/logout');
    expect(await demo.kvKeys()).not.toContain(record);
  });
});

describe('demo on workerd with SESSION_OBJECTS: the sessions are in Durable Objects', () => {
  let demo: RunningWorkerDemo;
  beforeAll(async () => {
    demo = await startWorkerdDemo({}, { store: 'durable-objects' });
  });
  afterAll(async () => {
    await demo?.stop();
  });

  it('counts across requests with nothing written to KV', async () => {
    const browser = createClient(demo.origin);
    expect(await browser.text('GET', '/')).toContain('You have visited this page 1 times');
    expect(await browser.text('GET', '/')).toContain('You have visited this page 2 times');
    expect(await demo.kvKeys()).toEqual([]);
  });
});
