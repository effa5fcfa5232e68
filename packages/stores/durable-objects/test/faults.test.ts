import { createSessionManager } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorkers, type TestWorkers, type WireError } from './helpers/test-worker.js';

// The faults come from real objects in workerd: FaultySessionObject (test/worker/index.ts) is
// the real class with its storage calls replaced by failures (a fault injected, named as
// such), and its `load` resets the object with `ctx.abort()`, which is real.
let workers: TestWorkers;
beforeAll(async () => {
  workers = await startTestWorkers();
});
afterAll(async () => {
  await workers?.dispose();
});

const KEY = 'fault:secret-key';
const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };
const failure = (promise: Promise<unknown>): Promise<WireError> =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error as WireError,
  );

describe('an object that fails', () => {
  it('S24: a reset object (ctx.abort) is a redacted error on load, never "no session"', async () => {
    const error = await failure(workers.a.store('/faulty').load(KEY));
    expect(error.message).toBe('details redacted');
    expect(error.original).toMatch(/reset because its code was updated/);
  });

  it("S24: a storage failure is redacted and keeps the runtime's retry advice", async () => {
    const write = workers.a
      .store('/faulty')
      .write(
        KEY,
        { meta, set: { 'd:user': '"ada"' }, delete: [] },
        { mode: 'create', expiresAt: Date.now() + 60_000 },
      );
    const error = await failure(write);
    expect(error.message).not.toContain('secret-key');
    expect(error.message).not.toContain('ada');
    expect(error.original).toContain('SQLITE_FULL');
    expect(error.retryable).toBe(true);
    const overloaded = await failure(workers.a.store('/faulty').delete(KEY));
    expect(overloaded.message).not.toContain('secret-key');
    expect(overloaded.original).toMatch(/overloaded/);
    expect(overloaded.overloaded).toBe(true);
  });

  it('S29: through a session manager the failure is a SessionStoreError (503), not an empty session', async () => {
    const sessions = createSessionManager({
      store: workers.a.store('/faulty'),
      secrets: 'faults-test-secret-0123456789abcdefghijkl',
    });
    const session = sessions.open(null);
    await session.set('user', 'ada');
    const error = await sessions.commit(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(((error as Error).cause as Error).message).toBe('details redacted');
    // A request whose (valid) cookie names a session fails closed on the reset object.
    const secrets = 'faults-test-secret-0123456789abcdefghijkl';
    const good = createSessionManager({ store: workers.a.store(), secrets });
    const signedIn = good.open(null);
    await signedIn.set('user', 'ada');
    const cookie = (await good.commit(signedIn)).setCookie?.split(';')[0] as string;
    const handler = createSessionManager({ store: workers.a.store('/faulty'), secrets }).wrap(
      async (_request, s) => new Response(String(await s.get('user'))),
    );
    const response = await handler(new Request('http://app.test/', { headers: { cookie } }));
    expect(response.status).toBe(503);
    expect(await response.text()).not.toContain('ada');
  });
});
