import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDemoBehaviour } from './behaviour.js';
import { createClient } from './demo-client.js';
import { describeProductionFlag } from './runtimes/production.js';
import { type RunningWorkerDemo, startWorkerdDemo } from './runtimes/workerd.js';

// src/worker.ts in workerd (Miniflare), sessions in a real KV namespace.
describeDemoBehaviour('workerd (Workers KV)', () => startWorkerdDemo());
describeProductionFlag('workerd', (production) =>
  startWorkerdDemo({ ENVIRONMENT: production ? 'production' : 'development' }),
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
    expect(record).not.toContain(browser.jar.get('sid')?.split('.')[0]);
    await browser.request('POST', '/logout');
    expect(await demo.kvKeys()).not.toContain(record);
  });
});
