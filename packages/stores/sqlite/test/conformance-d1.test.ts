import { SessionStoreError } from '@fetch-session/core/errors';
import { createTestClock, describeSessionStore } from '@fetch-session/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('d1 schema', () => {
  it('checkSchema() passes on the migrated table and names a missing one', async () => {
    await worker.store({ checkSchema: true }).checkSchema();
    const error = await worker
      .store({ table: 'nothing_here', checkSchema: true })
      .load('k')
      .then(
        () => undefined,
        (caught: unknown) => caught as SessionStoreError,
      );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(((error as SessionStoreError).cause as Error).message).toContain(
      'table "nothing_here" does not exist',
    );
  });

  it('sweeps expired rows in D1', async () => {
    const clock = createTestClock();
    const store = worker.store({ now: clock.now, table: 'swept' });
    await store.migrate();
    const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
    await store.write(
      'a',
      { meta, set: {}, delete: [] },
      { mode: 'create', expiresAt: clock.now() + 1_000 },
    );
    await store.write(
      'b',
      { meta, set: {}, delete: [] },
      { mode: 'create', expiresAt: clock.now() + 9_000 },
    );
    clock.advance(2_000);
    expect(await store.sweepExpired()).toBe(1);
    expect(await worker.sql('SELECT key FROM swept')).toEqual([{ key: 'b' }]);
  });
});
