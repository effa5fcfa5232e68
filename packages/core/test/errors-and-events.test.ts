import type { SessionStore } from '@fetch-session/core';
import {
  SessionSerializationError,
  SessionStateError,
  SessionStoreError,
} from '@fetch-session/core/errors';
import type { RedactedError } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

/** A store that fails on demand: a real memory store behind a switch. This is a fault double. */
function failingStore(base: SessionStore) {
  const state = { failing: false };
  const fail = (): never => {
    throw new Error('ECONNRESET while running HSET sess:key {"secret":"payload"}');
  };
  const store: SessionStore = {
    name: 'flaky',
    load: async (key) => (state.failing ? fail() : base.load(key)),
    write: async (key, patch, options) =>
      state.failing ? fail() : base.write(key, patch, options),
    delete: async (key) => (state.failing ? fail() : base.delete(key)),
  };
  return { store, state };
}

describe('store failures (S29)', () => {
  it('S29: a load failure is a typed error, the wrapper answers 503, and nothing is written over the record', async () => {
    const base = setup();
    const { store, state } = failingStore(base.memory);
    const { sessions, request, events } = setup({ store });
    const cookie = cookiePair((await request(null, (s) => s.set('cart', ['laptop']))).setCookie);
    state.failing = true;
    let handlerRan = false;
    const handler = sessions.wrap(async (_request, session) => {
      handlerRan = true;
      const cart = (await session.get('cart')) ?? [];
      await session.set('cart', [...(cart as string[]), 'phone']);
      return new Response('ok');
    });
    const response = await handler(new Request('https://app.test/', { headers: { cookie } }));
    expect(handlerRan).toBe(true);
    expect(response.status).toBe(503);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(events.some((e) => e.type === 'store-error')).toBe(true);
    state.failing = false;
    expect((await request(cookie, (s) => s.get('cart'))).result).toEqual(['laptop']);
  });

  it('S29: a handler that catches the load error still cannot write an empty session over the real one', async () => {
    const base = setup();
    const { store, state } = failingStore(base.memory);
    const { sessions, request } = setup({ store });
    const cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    state.failing = true;
    const session = sessions.open(cookie);
    await expect(session.get('user')).rejects.toBeInstanceOf(SessionStoreError);
    await expect(session.set('user', 'mallory')).rejects.toBeInstanceOf(SessionStoreError);
    state.failing = false;
    const commit = await sessions.commit(session);
    expect(commit.setCookie).toBeUndefined();
    expect((await request(cookie, (s) => s.get('user'))).result).toBe('ada');
  });

  it('S24: store errors are redacted: no cookie value, ID, key or payload in the message or the cause', async () => {
    const base = setup();
    const { store, state } = failingStore(base.memory);
    const { sessions, request } = setup({ store });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    state.failing = true;
    const error = await sessions
      .open(cookie)
      .get('a')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    const storeError = error as SessionStoreError;
    expect(storeError.code).toBe('ERR_SESSION_STORE');
    expect(storeError.store).toBe('flaky');
    expect(storeError.operation).toBe('load');
    const value = cookie.slice('sid='.length);
    for (const secret of [value, value.slice(0, 43), 'payload', 'sess:']) {
      expect(storeError.message).not.toContain(secret);
    }
    // The cause is redacted too; the store's error is kept as its non-enumerable `original`.
    expect((storeError.cause as Error).message).not.toContain('payload');
    expect((storeError.cause as Error).message).toContain('ECONNRESET');
    expect(((storeError.cause as RedactedError).original as Error).message).toContain('payload');
  });

  it('a failure while saving is a typed error and the wrapper answers 503', async () => {
    const base = setup();
    const { store, state } = failingStore(base.memory);
    const { sessions } = setup({ store });
    const handler = sessions.wrap(async (_request, session) => {
      await session.set('a', 1);
      state.failing = true;
      return new Response('ok');
    });
    const response = await handler(new Request('https://app.test/'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('onStoreError chooses the response', async () => {
    const base = setup();
    const { store, state } = failingStore(base.memory);
    state.failing = true;
    const { sessions, request } = setup({ store });
    void request;
    const handler = sessions.wrap(
      async (_request, session) => {
        await session.get('a');
        return new Response('ok');
      },
      { onStoreError: (error) => new Response(error.code, { status: 502 }) },
    );
    const response = await handler(
      new Request('https://app.test/', {
        headers: { cookie: `sid=${'a'.repeat(43)}.${'b'.repeat(43)}` },
      }),
    );
    // An invalid signature never reaches the store, so this request does not fail...
    expect(response.status).toBe(200);
    state.failing = false;
    const cookie = cookiePair(
      (await setup({ store }).request(null, (s) => s.set('a', 1))).setCookie,
    );
    state.failing = true;
    const failed = await handler(new Request('https://app.test/', { headers: { cookie } }));
    expect(failed.status).toBe(502);
    expect(await failed.text()).toBe('ERR_SESSION_STORE');
  });
});

describe('programmer errors', () => {
  it('committing twice, or writing after commit, is a SessionStateError', async () => {
    const { sessions } = setup();
    const session = sessions.open(null);
    await session.set('a', 1);
    await sessions.commit(session);
    await expect(sessions.commit(session)).rejects.toBeInstanceOf(SessionStateError);
    await expect(session.set('a', 2)).rejects.toBeInstanceOf(SessionStateError);
  });

  it('a value that cannot be serialized fails the commit with an error naming the key, not the value', async () => {
    const { sessions } = setup();
    const session = sessions.open(null);
    await session.set('big', 10n);
    const error = await sessions.commit(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionSerializationError);
    expect((error as SessionSerializationError).key).toBe('big');
    expect((error as Error).message).not.toContain('10');
  });
});

describe('events', () => {
  it('reports the lifecycle with fingerprints, never the ID', async () => {
    const { request, events, clock } = setup({ idleTimeout: 60 }, { storeClock: 'frozen' });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    await request(cookie, (s) => s.get('a'));
    await request('sid=garbage', (s) => s.get('a'));
    const regenerated = cookiePair((await request(cookie, (s) => s.regenerate())).setCookie);
    await request(cookie, (s) => s.get('a')); // old ID: unknown now
    await request(regenerated, (s) => s.destroy());
    const fresh = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    clock.advance(61_000);
    await request(fresh, (s) => s.get('a'));
    expect(events.map((e) => e.type)).toEqual([
      'created',
      'loaded',
      'invalid-cookie',
      'loaded',
      'regenerated',
      'unknown-session',
      'loaded',
      'destroyed',
      'created',
      'expired',
    ]);
    const serialized = JSON.stringify(events);
    for (const c of [cookie, regenerated, fresh]) {
      expect(serialized).not.toContain(c.slice(4, 47));
    }
  });

  it('a listener that throws does not break the request', async () => {
    const { request } = setup({
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    const { setCookie } = await request(null, (s) => s.set('a', 1));
    expect(setCookie).toBeDefined();
  });

  it('reports a write skipped because the session was destroyed meanwhile', async () => {
    const { sessions, request, events } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    const slow = sessions.open(cookie);
    await slow.set('b', 2);
    await request(cookie, (s) => s.destroy());
    await sessions.commit(slow);
    expect(events.at(-1)).toMatchObject({ type: 'write-skipped', reason: 'session-gone' });
  });
});

describe('store operations named in errors', () => {
  it('a failing touch() is reported as a touch, not a write', async () => {
    const { memory } = setup();
    const failingTouch: SessionStore = {
      name: 'touchy',
      load: (key) => memory.load(key),
      write: (key, patch, options) => memory.write(key, patch, options),
      delete: (key) => memory.delete(key),
      touch: async () => {
        throw new Error('touch failed');
      },
    };
    const { request, clock } = setup({ store: failingTouch, idleTimeout: 3600, touchAfter: 60 });
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    clock.advance(61_000);
    const error = await request(cookie, (s) => s.get('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as SessionStoreError).operation).toBe('touch');
  });
});

describe('error classes', () => {
  it('carry their names explicitly (minifiers rename classes) and isSessionStoreError matches copies by code', async () => {
    const { SessionConfigError, isSessionStoreError } = await import('@fetch-session/core/errors');
    expect(new SessionConfigError('x', 'y').name).toBe('SessionConfigError');
    expect(new SessionStoreError('s', 'load').name).toBe('SessionStoreError');
    const copy = Object.assign(new Error('from another bundle'), { code: 'ERR_SESSION_STORE' });
    expect(isSessionStoreError(copy)).toBe(true);
    expect(isSessionStoreError(new Error('other'))).toBe(false);
  });
});
