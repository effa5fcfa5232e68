import { describeSessionStore } from '@fetch-session/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { type D1Worker, startD1Worker } from './support/d1-worker.js';

// Every store call of the suite is a request to a Worker in workerd, where the D1 store runs
// against a real (Miniflare) D1 database; the concurrent patches arrive as concurrent
// requests. The suite's manager part runs here, in Node.
let worker: D1Worker;
beforeAll(async () => {
  worker = await startD1Worker();
  await worker.store().migrate();
});
afterAll(async () => {
  await worker?.dispose();
});

describeSessionStore({
  name: 'd1',
  concurrency: 200,
  createStore: ({ now }) => worker.store({ now }),
});
