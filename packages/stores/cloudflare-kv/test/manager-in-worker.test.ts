import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys, visit } from './helpers/client.js';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';
import type { KvCall } from './worker/counting-kv.js';

// createSessionManager + cloudflareKvStore running inside workerd (test/worker/session-app.ts);
// this process is only the browser.
let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker();
});
afterAll(async () => {
  await worker?.dispose();
});

interface Me {
  user: string | null;
  isNew: boolean;
}

/** The KV calls the main store made since the last look, as `{ get, put, delete }` counts. */
async function kvCalls(): Promise<Record<KvCall['op'], number>> {
  const calls = await worker.json<KvCall[]>('/kv/calls');
  const counts = { get: 0, put: 0, delete: 0 };
  for (const call of calls) counts[call.op]++;
  return counts;
}

describe('a session manager running in the Worker over KV', () => {
  it('counts visits across requests', async () => {
    let cookie = '';
    for (let i = 1; i <= 3; i++) {
      const response = await visit<{ count: number }>(worker, '/app/count', cookie);
      expect(response.body.count).toBe(i);
      cookie = response.cookie;
    }
  });

  it('S14: login regenerates the ID; the pre-login cookie is empty afterwards', async () => {
    const anonymous = await visit<{ count: number }>(worker, '/app/count');
    const before = await listKeys(worker, 'app:');
    const login = await visit<{ user: string }>(worker, '/app/login?user=ada', anonymous.cookie);
    expect(login.body.user).toBe('ada');
    expect(login.cookie).not.toBe(anonymous.cookie);
    expect((await visit<Me>(worker, '/app/me', login.cookie)).body.user).toBe('ada');
    expect((await visit<Me>(worker, '/app/me', anonymous.cookie)).body).toEqual({
      user: null,
      isNew: true,
    });
    const after = await listKeys(worker, 'app:');
    expect(after).toHaveLength(before.length); // one key replaced by another
  });

  it('S19: logout deletes the KV key and expires the cookie; a replay is anonymous', async () => {
    const login = await visit(worker, '/app/login?user=grace');
    const keysBefore = (await listKeys(worker, 'app:')).length;
    const logout = await visit(worker, '/app/logout', login.cookie);
    expect(logout.setCookie).toMatch(/Max-Age=0/);
    expect(await listKeys(worker, 'app:')).toHaveLength(keysBefore - 1);
    expect((await visit<Me>(worker, '/app/me', login.cookie)).body).toEqual({
      user: null,
      isNew: true,
    });
  });

  it('KV operations per session operation', async () => {
    await kvCalls(); // start from zero
    const reader = await visit<Me>(worker, '/app/me');
    expect(await kvCalls(), 'a new visitor who only reads').toEqual({ get: 0, put: 0, delete: 0 });

    const created = await visit(worker, '/app/count', reader.cookie);
    expect(await kvCalls(), 'a new visitor who writes').toEqual({ get: 1, put: 1, delete: 0 });

    await visit(worker, '/app/me', created.cookie);
    expect(await kvCalls(), 'a read, touch not due').toEqual({ get: 1, put: 0, delete: 0 });

    await visit(worker, '/app/count', created.cookie);
    expect(await kvCalls(), 'a write').toEqual({ get: 2, put: 1, delete: 0 });

    const login = await visit(worker, '/app/login', created.cookie);
    expect(await kvCalls(), 'regenerate').toEqual({ get: 2, put: 1, delete: 1 });

    await visit(worker, '/app/logout', login.cookie);
    expect(await kvCalls(), 'destroy').toEqual({ get: 1, put: 0, delete: 1 });

    await visit(worker, '/app/me', login.cookie);
    expect(await kvCalls(), 'a replay of the destroyed cookie, same isolate').toEqual({
      get: 0,
      put: 0,
      delete: 0,
    });

    const touchy = await visit(worker, '/touchy/app/count');
    await kvCalls();
    await visit(worker, '/touchy/app/me', touchy.cookie);
    expect(await kvCalls(), 'a read with a touch due').toEqual({ get: 2, put: 1, delete: 0 });
  });
});
