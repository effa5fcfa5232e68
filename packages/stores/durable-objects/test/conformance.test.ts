import { describeSessionStore } from '@fetch-session/core/testing';
import { afterAll, beforeAll } from 'vitest';
import { startTestWorkers, type TestWorkers } from './helpers/test-worker.js';

// Every store call of the suite is a request to a Worker in workerd, where the store calls
// real SQLite-backed Durable Objects over RPC; the suite's clock travels with each call. The
// suite's manager part runs here, in Node, on the same proxied store.
let workers: TestWorkers;
beforeAll(async () => {
  workers = await startTestWorkers();
});
afterAll(async () => {
  await workers?.dispose();
});

describeSessionStore({
  name: 'durable-objects',
  createStore: ({ now }) => workers.a.store('', now),
});
