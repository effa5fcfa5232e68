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

/** The KV calls the main store made since the last look, as `{ get, put, delete, list }` counts. */
async function kvCalls(): Promise<Record<KvCall['op'], number>> {
  const calls = await worker.json<KvCall[]>('/kv/calls');
  const counts = { get: 0, put: 0, delete: 0, list: 0 };
  for (const call of calls) counts[call.op]++;
  return counts;
}

/** Expected counts: the ones given, zero for the others. */
const ops = (counts: Partial<Record<KvCall['op'], number>>): Record<KvCall['op'], number> => ({
  get: 0,
  put: 0,
  delete: 0,
  list: 0,
  ...counts,
});

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
    expect(await kvCalls(), 'a new visitor who only reads').toEqual(ops({}));

    const created = await visit(worker, '/app/count', reader.cookie);
    expect(await kvCalls(), 'a new visitor who writes').toEqual(ops({ get: 1, put: 1 }));

    await visit(worker, '/app/me', created.cookie);
    expect(await kvCalls(), 'a read, touch not due').toEqual(ops({ get: 1 }));

    await visit(worker, '/app/count', created.cookie);
    expect(await kvCalls(), 'a write').toEqual(ops({ get: 2, put: 1 }));

    const login = await visit(worker, '/app/login', created.cookie);
    expect(await kvCalls(), 'regenerate').toEqual(ops({ get: 3, put: 1, delete: 1 }));

    await visit(worker, '/app/logout', login.cookie);
    expect(await kvCalls(), 'destroy').toEqual(ops({ get: 2, delete: 1 }));

    await visit(worker, '/app/me', login.cookie);
    expect(await kvCalls(), 'a replay of the destroyed cookie, same isolate').toEqual(ops({}));

    const touchy = await visit(worker, '/touchy/app/count');
    await kvCalls();
    await visit(worker, '/touchy/app/me', touchy.cookie);
    expect(await kvCalls(), 'a read with a touch due').toEqual(ops({ get: 2, put: 1 }));
  });

  it('KV operations per per-user operation (sessions bound with bindUser)', async () => {
    const user = `ops-${Date.now()}`;
    const anonymous = await visit(worker, '/app/count');
    await kvCalls();
    const laptop = await visit(worker, `/app/signin?user=${user}&device=laptop`, anonymous.cookie);
    expect(
      await kvCalls(),
      'login: regenerate + bindUser, then one list for the per-user cap',
    ).toEqual(ops({ get: 3, put: 2, delete: 1, list: 1 }));

    const phone = await visit(worker, `/app/signin?user=${user}&device=phone`);
    expect(await kvCalls(), 'a new visitor who logs in (and the cap list)').toEqual(
      ops({ get: 1, put: 2, list: 1 }),
    );

    await visit(worker, '/app/set?key=theme&value=dark', laptop.cookie);
    expect(await kvCalls(), 'a write to a bound session').toEqual(ops({ get: 2, put: 2 }));

    const listed = await visit<Array<{ handle: string; device: string }>>(
      worker,
      '/app/sessions',
      phone.cookie,
    );
    expect(listed.body.map((s) => s.device).sort()).toEqual(['laptop', 'phone']);
    expect(await kvCalls(), 'listSessions (its own session loaded)').toEqual(
      ops({ get: 1, list: 1 }),
    );

    const handle = listed.body.find((s) => s.device === 'laptop')?.handle;
    const revoked = await visit(worker, `/app/revoke?handle=${handle}`, phone.cookie);
    expect(revoked.body).toEqual({ revoked: true });
    // Revocation lists the lineage first (H2).
    expect(await kvCalls(), 'revokeSession of another session').toEqual(
      ops({ get: 3, delete: 2, list: 1 }),
    );

    const tablet = await visit(worker, `/app/signin?user=${user}&device=tablet`);
    await kvCalls();
    const all = await visit(worker, '/app/revoke-all?except=current', tablet.cookie);
    expect(all.body).toEqual({ count: 1 });
    // The request's own load, one list, then per session an owner check and the delete's read.
    expect(await kvCalls(), 'revokeAllSessions, one other session').toEqual(
      ops({ get: 3, delete: 2, list: 1 }),
    );

    await visit(worker, '/app/logout', tablet.cookie);
    expect(await kvCalls(), 'destroy of a bound session').toEqual(ops({ get: 2, delete: 2 }));
    expect(await listKeys(worker, 'user-sessions:')).toEqual([]);

    const touchy = await visit(worker, `/touchy/app/signin?user=${user}-touchy`);
    await kvCalls();
    await visit(worker, '/touchy/app/me', touchy.cookie);
    expect(await kvCalls(), 'a touch of a bound session moves its index entry').toEqual(
      ops({ get: 2, put: 2 }),
    );
  });
});
