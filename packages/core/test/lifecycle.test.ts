import { describe, expect, it } from 'vitest';
import { cookiePair, recordWrites, setup } from './helpers.js';

const DAY = 86_400_000;

describe('laziness and writes', () => {
  it('a handler that never touches the session costs no store call and sets no header', async () => {
    const { sessions, store } = setup();
    const { setCookie } = await setup().request(null, async () => undefined);
    expect(setCookie).toBeUndefined();
    const handler = sessions.wrap(async () => new Response('ok'));
    const response = await handler(
      new Request('https://app.test/', { headers: { cookie: 'sid=whatever' } }),
    );
    expect(store.total).toBe(0);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('vary')).toBeNull();
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it("S12: reading a new visitor's empty session stores nothing and sends no cookie", async () => {
    const { request, store, memory } = setup();
    const { result, setCookie, vary } = await request(null, (s) => s.get('anything'));
    expect(result).toBeUndefined();
    expect(setCookie).toBeUndefined();
    expect(vary).toBe(true);
    expect(store.calls.write).toBe(0);
    expect(memory.size).toBe(0);
  });

  it('the first write creates one record and one cookie', async () => {
    const { request, store, memory } = setup();
    const { setCookie } = await request(null, (s) => s.set('count', 1));
    expect(setCookie).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}; /);
    expect(store.calls.write).toBe(1);
    expect(memory.size).toBe(1);
  });

  it('concurrent first uses within one request share one load', async () => {
    const { request, store } = setup();
    const { setCookie } = await request(null, (s) => s.set('a', 1));
    store.reset();
    await request(cookiePair(setCookie), (s) =>
      Promise.all([s.get('a'), s.get('b'), s.has('a'), s.keys()]),
    );
    expect(store.calls.load).toBe(1);
  });

  it('an unchanged session is never rewritten, even when objects were read', async () => {
    const { request, store } = setup();
    const { setCookie } = await request(null, (s) => s.set('cart', { items: [1, 2] }));
    store.reset();
    const cookie = cookiePair(setCookie);
    await request(cookie, async (s) => {
      const cart = (await s.get('cart')) as { items: number[] };
      expect(cart.items).toEqual([1, 2]);
    });
    await request(cookie, (s) => s.set('cart', { items: [1, 2] }));
    expect(store.calls.write).toBe(0);
    expect(store.calls.touch).toBe(0);
  });

  it('saves nested mutation without any flag', async () => {
    const { request, store } = setup<{ cart: { items: string[] } }>();
    const { setCookie } = await request(null, (s) => s.set('cart', { items: [] }));
    const cookie = cookiePair(setCookie);
    store.reset();
    await request(cookie, async (s) => {
      (await s.get('cart'))?.items.push('laptop');
    });
    expect(store.calls.write).toBe(1);
    const { result } = await request(cookie, (s) => s.get('cart'));
    expect(result).toEqual({ items: ['laptop'] });
  });

  it('sends only the changed keys to the store', async () => {
    const { store, writes } = recordWrites(setup().memory);
    const { sessions } = setup({ store });
    const first = sessions.open(null);
    await first.set('a', 1);
    await first.set('b', 2);
    const cookie = cookiePair((await sessions.commit(first)).setCookie);
    const second = sessions.open(cookie);
    await second.set('b', 3);
    await second.delete('a');
    await second.get('c');
    await sessions.commit(second);
    expect(writes[1]?.patch).toMatchObject({ set: { 'd:b': '3' }, delete: ['d:a'] });
    expect(writes[1]?.options.mode).toBe('update');
  });

  it('deleting a key and setting undefined both remove it', async () => {
    const { request } = setup();
    const cookie = cookiePair(
      (
        await request(null, async (s) => {
          await s.set('a', 1);
          await s.set('b', 2);
        })
      ).setCookie,
    );
    await request(cookie, async (s) => {
      await s.delete('a');
      await s.set('b', undefined);
    });
    const { result } = await request(cookie, async (s) => ({
      keys: await s.keys(),
      all: await s.all(),
      hasA: await s.has('a'),
    }));
    expect(result).toEqual({ keys: [], all: {}, hasA: false });
  });

  it('clear() removes every data key but keeps flash values', async () => {
    const { request } = setup();
    const cookie = cookiePair(
      (
        await request(null, async (s) => {
          await s.set('a', 1);
          await s.flash('notice', 'hi');
        })
      ).setCookie,
    );
    await request(cookie, (s) => s.clear());
    const { result } = await request(cookie, async (s) => [
      await s.keys(),
      await s.takeFlash('notice'),
    ]);
    expect(result).toEqual([[], 'hi']);
  });
});

describe('flash', () => {
  it('a flash value survives exactly until it is read', async () => {
    const { request } = setup<Record<string, unknown>, { notice: string }>();
    const cookie = cookiePair((await request(null, (s) => s.flash('notice', 'Saved'))).setCookie);
    // A request that does not read it keeps it.
    await request(cookie, (s) => s.get('other'));
    const { result: first } = await request(cookie, (s) => s.takeFlash('notice'));
    const { result: second } = await request(cookie, (s) => s.takeFlash('notice'));
    expect(first).toBe('Saved');
    expect(second).toBeUndefined();
  });
});

describe('regenerate and destroy', () => {
  it('S13: regenerate() issues a new ID, keeps the data, and the old cookie sees an empty session', async () => {
    const { request, memory, events } = setup();
    const oldCookie = cookiePair((await request(null, (s) => s.set('cart', ['x']))).setCookie);
    const { setCookie } = await request(oldCookie, async (s) => {
      await s.regenerate();
      await s.set('user', 'ada');
    });
    const newCookie = cookiePair(setCookie);
    expect(newCookie).not.toBe(oldCookie);
    expect(memory.size).toBe(1);
    const { result: kept } = await request(newCookie, async (s) => [
      await s.get('cart'),
      await s.get('user'),
    ]);
    expect(kept).toEqual([['x'], 'ada']);
    const { result: old } = await request(oldCookie, async (s) => [
      await s.isNew(),
      await s.get('cart'),
    ]);
    expect(old).toEqual([true, undefined]);
    expect(events.map((e) => e.type)).toContain('regenerated');
  });

  it('S13: regenerate() of a session whose keys were all deleted still retires the old ID', async () => {
    const { request, memory } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    await request(cookie, (s) => s.delete('a'));
    expect(memory.size).toBe(1);
    const { setCookie } = await request(cookie, (s) => s.regenerate());
    expect(setCookie).toMatch(/^sid=; Max-Age=0/);
    expect(memory.size).toBe(0);
    expect((await request(cookie, (s) => s.isNew())).result).toBe(true);
  });

  it('S19: destroy() deletes the record and expires the cookie with the same name and path; a replay is empty', async () => {
    const { request, memory } = setup({ cookie: { path: '/app' } });
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    const { setCookie } = await request(cookie, (s) => s.destroy());
    expect(memory.size).toBe(0);
    expect(setCookie).toMatch(
      /^sid=; Max-Age=0; Path=\/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT/,
    );
    const { result } = await request(cookie, async (s) => [await s.isNew(), await s.get('user')]);
    expect(result).toEqual([true, undefined]);
  });

  it('writing after destroy() starts a new session with a new ID (a "logged out" flash)', async () => {
    const { request, memory } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    const { setCookie } = await request(cookie, async (s) => {
      await s.destroy();
      await s.flash('notice', 'Logged out');
    });
    const fresh = cookiePair(setCookie);
    expect(fresh).not.toBe(cookie);
    expect(memory.size).toBe(1);
    const { result } = await request(fresh, async (s) => [
      await s.get('user'),
      await s.takeFlash('notice'),
    ]);
    expect(result).toEqual([undefined, 'Logged out']);
  });

  it('S10: a validly signed ID the store does not know is never adopted', async () => {
    const { request, store } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    await request(cookie, (s) => s.destroy());
    const recording = recordWrites(store);
    const { sessions, events } = setup({ store: recording.store });
    const session = sessions.open(cookie);
    expect(await session.isNew()).toBe(true);
    await session.set('b', 2);
    const { setCookie } = await sessions.commit(session);
    expect(cookiePair(setCookie)).not.toBe(cookie);
    expect(events.some((e) => e.type === 'unknown-session')).toBe(true);
    // The only key ever written is the new one, derived from a fresh ID.
    expect(recording.writes).toHaveLength(1);
    expect(recording.writes[0]?.options.mode).toBe('create');
  });
});

describe('permanent and browser-session cookies (S8)', () => {
  it('is a browser-session cookie by default, and permanent with Max-Age after setPermanent(true)', async () => {
    const { request } = setup({ idleTimeout: 3600 });
    const { setCookie } = await request(null, (s) => s.set('a', 1));
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
    const { setCookie: permanent } = await request(cookiePair(setCookie), (s) =>
      s.setPermanent(true),
    );
    expect(permanent).toMatch(/; Max-Age=3600;/);
    expect(cookiePair(permanent)).toBe(cookiePair(setCookie));
  });

  it('the `permanent` option makes new sessions permanent; Max-Age never exceeds the absolute remainder', async () => {
    const { request, clock } = setup({
      permanent: true,
      idleTimeout: 3600,
      absoluteTimeout: 5400,
      touchAfter: 60,
    });
    const { setCookie } = await request(null, (s) => s.set('a', 1));
    expect(setCookie).toMatch(/; Max-Age=3600;/);
    clock.advance(3_000_000); // 50 minutes: 40 minutes of absolute lifetime left
    const { setCookie: refreshed } = await request(cookiePair(setCookie), (s) => s.get('a'));
    expect(refreshed).toMatch(/; Max-Age=2400;/);
  });

  it('setPermanent(false) turns a permanent cookie back into a browser-session cookie', async () => {
    const { request } = setup({ permanent: true });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    const { setCookie, result } = await request(cookie, async (s) => {
      await s.setPermanent(false);
      return s.isPermanent();
    });
    expect(result).toBe(false);
    expect(setCookie).toBeDefined();
    expect(setCookie).not.toMatch(/Max-Age/);
  });
});

describe('timeouts and touch', () => {
  it('S15: after the idle timeout plus a millisecond the session is gone and a new ID is issued', async () => {
    const { request, clock, events } = setup({ idleTimeout: 1800 }, { storeClock: 'frozen' });
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    clock.advance(1_800_000 - 1);
    expect((await request(cookie, (s) => s.get('user'))).result).toBe('ada');
    clock.advance(1_800_000 + 1);
    const { result, setCookie } = await request(cookie, async (s) => {
      const user = await s.get('user');
      await s.set('n', 1);
      return user;
    });
    expect(result).toBeUndefined();
    expect(cookiePair(setCookie)).not.toBe(cookie);
    expect(events).toContainEqual(expect.objectContaining({ type: 'expired', reason: 'idle' }));
  });

  it('S16: activity every idle/2 still ends the session at the absolute timeout', async () => {
    const idle = 3600;
    const absolute = 4 * 3600;
    const { request, clock, events } = setup(
      { idleTimeout: idle, absoluteTimeout: absolute, touchAfter: 60 },
      { storeClock: 'frozen' },
    );
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    let alive = 0;
    for (let t = 0; t < absolute * 1000 - 1; t += (idle * 1000) / 2) {
      clock.set(clock.now() + (t === 0 ? 0 : (idle * 1000) / 2));
      if ((await request(cookie, (s) => s.get('user'))).result === 'ada') alive++;
    }
    expect(alive).toBe(8);
    clock.advance((idle * 1000) / 2 + 1);
    expect((await request(cookie, (s) => s.get('user'))).result).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'expired', reason: 'absolute' }));
  });

  it('S17: timeouts are enforced from timestamps even when the store still returns the record', async () => {
    // The store's clock stands still, so its TTL never fires; only the manager's clock moves.
    const { request, clock, memory } = setup({ idleTimeout: 60 }, { storeClock: 'frozen' });
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    clock.advance(61_000);
    expect(memory.size).toBe(1); // the store would still serve it
    expect((await request(cookie, (s) => s.get('user'))).result).toBeUndefined();
    expect(memory.size).toBe(0); // and the expired record was deleted
  });

  it('a read refreshes the session at most once per touchAfter, never on every request', async () => {
    const { request, clock, store } = setup({ idleTimeout: 3600, touchAfter: 600 });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    store.reset();
    for (let i = 0; i < 5; i++) {
      clock.advance(100_000);
      await request(cookie, (s) => s.get('a'));
    }
    expect(store.calls.touch + store.calls.write).toBe(0);
    clock.advance(100_001); // 600.001 s since the last refresh
    const { setCookie } = await request(cookie, (s) => s.get('a'));
    expect(store.calls.touch).toBe(1);
    expect(setCookie).toBeUndefined(); // a browser-session cookie needs no refresh
    await request(cookie, (s) => s.get('a'));
    expect(store.calls.touch).toBe(1);
  });

  it('S18: a touch moves the store expiry to cover the remaining lifetime, and re-sends a permanent cookie', async () => {
    const { store, writes } = recordWrites(setup().memory);
    const { request, clock } = setup({
      store,
      permanent: true,
      idleTimeout: 3600,
      touchAfter: 600,
    });
    const start = clock.now();
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    clock.advance(700_000);
    const { setCookie } = await request(cookie, (s) => s.get('a'));
    expect(writes.map((w) => w.options.expiresAt)).toEqual([
      start + 3_600_000,
      start + 700_000 + 3_600_000,
    ]);
    expect(setCookie).toMatch(/; Max-Age=3600;/);
    expect(cookiePair(setCookie)).toBe(cookie);
  });

  it('a session stays alive for a user who keeps reading within the idle window', async () => {
    const { request, clock } = setup({ idleTimeout: 3600 });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    for (let i = 0; i < 10; i++) {
      clock.advance(0.9 * 3_600_000);
      expect((await request(cookie, (s) => s.get('a'))).result).toBe(1);
    }
    void DAY;
  });
});

describe('what a commit reports', () => {
  it('changed is true for new, changed and destroyed sessions, false for reads and refreshes', async () => {
    const { sessions, clock } = setup({ idleTimeout: 3600, touchAfter: 60 });
    const run = async (
      cookie: string | null,
      act: (s: ReturnType<typeof sessions.open>) => Promise<unknown>,
    ) => {
      const session = sessions.open(cookie);
      await act(session);
      return sessions.commit(session);
    };
    const created = await run(null, (s) => s.set('a', 1));
    expect(created.changed).toBe(true);
    const cookie = cookiePair(created.setCookie);
    expect((await run(cookie, (s) => s.get('a'))).changed).toBe(false);
    expect((await run(cookie, (s) => s.set('a', 1))).changed).toBe(false); // same value
    expect((await run(cookie, (s) => s.set('a', 2))).changed).toBe(true);
    clock.advance(61_000);
    expect((await run(cookie, (s) => s.get('a'))).changed).toBe(false); // a touch only
    expect((await run(cookie, (s) => s.destroy())).changed).toBe(true);
  });

  it('peekFlash() reads a flash value without consuming it', async () => {
    const { request } = setup();
    const cookie = cookiePair((await request(null, (s) => s.flash('notice', 'hi'))).setCookie);
    expect((await request(cookie, (s) => s.peekFlash('notice'))).result).toBe('hi');
    expect((await request(cookie, (s) => s.takeFlash('notice'))).result).toBe('hi');
    expect((await request(cookie, (s) => s.peekFlash('notice'))).result).toBeUndefined();
  });
});
