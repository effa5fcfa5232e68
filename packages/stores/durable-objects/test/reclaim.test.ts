import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkers, type TestWorkers } from './helpers/test-worker.js';

// Storage of expired sessions is reclaimed by the object's alarm. QuickSessionObject is the
// real class with `reclaimDelay` 0 (the default keeps a minute's margin); alarms are real
// workerd alarms. Nothing here bounds time: the test waits for the alarm to have run.
let workers: TestWorkers;
beforeAll(async () => {
  workers = await startTestWorkers();
});
afterAll(async () => {
  await workers?.dispose();
});

interface Rows {
  rows: number;
  alarm: number | null;
}
const rowsOf = (key: string, base = '/quick'): Promise<Rows> =>
  workers.a.json<Rows>(`${base}/rows?key=${key}`);
const patch = {
  meta: { createdAt: 1, lastSeenAt: 1, permanent: false },
  set: { 'd:a': '1' },
  delete: [],
};

/** Polls until `done` holds (the alarm has run); the test's timeout bounds it. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('S18: expired sessions are reclaimed by an alarm', () => {
  it('drops the rows of an expired session, and only of that one', async () => {
    const store = workers.a.store('/quick');
    await store.write('short', patch, { mode: 'create', expiresAt: Date.now() + 300 });
    await store.write('long', patch, { mode: 'create', expiresAt: Date.now() + 3_600_000 });
    await until(async () => (await rowsOf('short')).rows === 0);
    expect(await rowsOf('long')).toMatchObject({ rows: 2, alarm: expect.any(Number) });
  });

  it('an alarm that fires for a session extended since waits again instead of dropping it', async () => {
    // The real class (a minute's margin, so its own alarm cannot fire during the test); its
    // alarm handler is run by hand, on the store's still clock: nothing depends on timing.
    const start = Date.now();
    const store = workers.a.store('/inspect', () => start);
    await store.write('extended', patch, { mode: 'create', expiresAt: start + 300 });
    const first = (await rowsOf('extended', '/inspect')).alarm as number;
    expect(first).toBeGreaterThanOrEqual(start + 300 + 60_000);
    const extended = start + 3_600_000;
    await store.write('extended', { ...patch, set: {} }, { mode: 'update', expiresAt: extended });
    expect((await rowsOf('extended', '/inspect')).alarm, 'no second alarm write').toBe(first);
    const after = await workers.a.json<Rows>('/inspect/alarm?key=extended');
    expect(after.rows).toBe(2);
    expect(after.alarm).toBeGreaterThanOrEqual(extended + 60_000);
    expect((await store.load('extended'))?.fields).toEqual({ 'd:a': '1' });
  });
});
