import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './helpers/browser.js';
import { startTestWorkers, type TestWorkers } from './helpers/test-worker.js';
import type { ObjectCalls } from './worker/counting-namespace.js';

// Every call to an object is one RPC round trip from the Worker and one subrequest. Counted in
// the Worker (test/worker/counting-namespace.ts), per request of a session app.
let workers: TestWorkers;
beforeAll(async () => {
  workers = await startTestWorkers();
});
afterAll(async () => {
  await workers?.dispose();
});

const calls = (): Promise<ObjectCalls> => workers.a.json<ObjectCalls>('/counted/calls');
const only = (counts: Partial<ObjectCalls>): ObjectCalls => ({
  load: 0,
  meta: 0,
  write: 0,
  delete: 0,
  addMember: 0,
  removeMembers: 0,
  members: 0,
  ...counts,
});

describe('object calls (round trips) per request', () => {
  it('one per load and one per commit; the user index only on login, logout and listings', async () => {
    const { a } = workers;
    await calls();
    const browser = new Browser();
    await browser.visit(a, '/counted/app/me');
    expect(await calls(), 'a new visitor who only reads').toEqual(only({}));

    await browser.visit(a, '/counted/app/count');
    expect(await calls(), 'a new visitor who writes').toEqual(only({ write: 1 }));

    await browser.visit(a, '/counted/app/me');
    expect(await calls(), 'a read, touch not due').toEqual(only({ load: 1 }));

    await browser.visit(a, '/counted/app/count');
    expect(await calls(), 'a write').toEqual(only({ load: 1, write: 1 }));

    await browser.visit(a, '/counted/app/login');
    expect(await calls(), 'regenerate').toEqual(only({ load: 1, write: 1, delete: 1 }));

    await browser.visit(a, '/counted/app/signin?user=ada');
    expect(
      await calls(),
      'sign in: regenerate and bindUser (session and index in parallel), then the per-user cap lists',
    ).toEqual(only({ load: 1, write: 1, addMember: 1, delete: 1, members: 1, meta: 1 }));

    await browser.visit(a, '/counted/app/count');
    expect(await calls(), 'a write to a bound session: the index is not touched').toEqual(
      only({ load: 1, write: 1 }),
    );

    const phone = new Browser();
    await phone.visit(a, '/counted/app/signin?user=ada');
    await calls();
    await browser.visit(a, '/counted/app/sessions');
    expect(await calls(), 'list 2 sessions: the index, then each session in parallel').toEqual(
      only({ load: 1, members: 1, meta: 2 }),
    );

    await browser.visit(a, '/counted/app/revoke-all?except=current');
    expect(await calls(), 'log out everywhere else (1 other session)').toEqual(
      only({ load: 2, members: 1, meta: 2, delete: 1, removeMembers: 1 }),
    );

    await browser.visit(a, '/counted/app/logout');
    expect(await calls(), 'destroy a bound session: the session, then its index entry').toEqual(
      only({ load: 1, delete: 1, removeMembers: 1 }),
    );
  });
});

describe('field names through RPC', () => {
  it('S30: a field named __proto__ stays an own field, in storage and back', async () => {
    const store = workers.a.store();
    const meta = { createdAt: 1, lastSeenAt: 1, permanent: false };
    const set = JSON.parse('{"__proto__":"{\\"polluted\\":true}","d:a":"1"}') as Record<
      string,
      string
    >;
    const expiresAt = Date.now() + 60_000;
    expect(
      await store.write('proto', { meta, set, delete: [] }, { mode: 'create', expiresAt }),
    ).toBe('ok');
    const fields = (await store.load('proto'))?.fields ?? {};
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'd:a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
