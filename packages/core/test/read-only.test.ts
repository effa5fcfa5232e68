// Read-only sessions (`open(input, { readOnly: true })`): reads work, every write method is
// refused, commit writes nothing. The write methods come from SESSION_METHODS, which is typed
// over `keyof Session`: a method added to Session is covered here or the build fails.
import { createSessionManager, type Session } from '@fetch-session/core';
import { SessionReadOnlyError, SessionStateError } from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';
import { SESSION_METHODS } from '../src/session-methods.js';
import { SessionState } from '../src/session-state.js';
import { cookiePair, SECRET, setup } from './helpers.js';

type Method = keyof Session;

/** Arguments for a call of each method (typed: a new method needs its own entry). */
const ARGS: { [K in Method]: Parameters<Session[K]> } = {
  get: ['user'],
  set: ['user', 'mallory'],
  delete: ['user'],
  has: ['user'],
  keys: [],
  all: [],
  clear: [],
  flash: ['notice', 'hi'],
  peekFlash: ['notice'],
  takeFlash: ['notice'],
  regenerate: [],
  destroy: [],
  setPermanent: [true],
  isPermanent: [],
  isNew: [],
  bindUser: ['user-2'],
  userId: [],
  handle: [],
  csrfToken: [],
  verifyCsrfToken: ['token'],
  times: [],
  isFresh: [600],
  markAuthenticated: [],
};

const methods = Object.keys(SESSION_METHODS) as Method[];
const writes = methods.filter((method) => SESSION_METHODS[method] === 'write');
const reads = methods.filter((method) => SESSION_METHODS[method] === 'read');

function call(session: Session, method: Method): Promise<unknown> {
  return (session[method] as (...args: unknown[]) => Promise<unknown>)(...ARGS[method]);
}

/** A stored session (user, a flash, bound to a user) and its cookie. */
async function stored(options: Parameters<typeof setup>[0] = {}) {
  const context = setup(options);
  const { setCookie } = await context.request(null, async (session) => {
    await session.set('user', 'ada');
    await session.flash('notice', 'welcome');
    await session.bindUser('user-1', { device: 'Test' });
  });
  context.store.reset();
  context.events.length = 0;
  return { ...context, cookie: cookiePair(setCookie) };
}

describe('read-only sessions', () => {
  it('the method table lists every method a session has, and only those', () => {
    const own = Object.getOwnPropertyNames(SessionState.prototype).filter(
      (name) => !['constructor', 'preload', 'commit'].includes(name),
    );
    expect(new Set(own)).toEqual(new Set(methods));
    expect(writes).toEqual([
      'set',
      'delete',
      'clear',
      'flash',
      'takeFlash',
      'regenerate',
      'destroy',
      'setPermanent',
      'bindUser',
      'csrfToken',
      'markAuthenticated',
    ]);
  });

  it.each(writes)(
    '%s() rejects with SessionReadOnlyError before loading anything',
    async (method) => {
      const { sessions, cookie, store, events } = await stored();
      const session = sessions.open(cookie, { readOnly: true });
      const error = await call(session, method).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SessionReadOnlyError);
      expect(error).toBeInstanceOf(SessionStateError);
      expect(error).toMatchObject({ code: 'ERR_SESSION_STATE', operation: method });
      expect((error as Error).name).toBe('SessionReadOnlyError');
      expect((error as Error).message).toContain(`session.${method}()`);
      expect(store.total).toBe(0);
      expect(events).toEqual([]);
      // Nothing changed: commit is a no-op, and a normal request still sees everything.
      expect(await sessions.commit(session)).toEqual({
        setCookie: undefined,
        vary: false,
        changed: false,
        private: false,
      });
      expect(store.total).toBe(0);
      const after = sessions.open(cookie);
      expect(await after.get('user')).toBe('ada');
      expect(await after.peekFlash('notice')).toBe('welcome');
      expect(await after.userId()).toBe('user-1');
      expect(await after.isPermanent()).toBe(false);
    },
  );

  it.each(reads)('%s() answers as in a writable session', async (method) => {
    const { sessions, cookie } = await stored();
    const readOnly = await call(sessions.open(cookie, { readOnly: true }), method);
    const writable = await call(sessions.open(cookie), method);
    expect(readOnly).toEqual(writable);
  });

  it('reads see the stored data; commit writes nothing and sends no cookie even when a touch is due', async () => {
    const { sessions, cookie, store, clock } = await stored({ touchAfter: 60 });
    clock.advance(120_000); // past touchAfter: a writable session would be refreshed
    const session = sessions.open(cookie, { readOnly: true });
    expect(await session.get('user')).toBe('ada');
    expect(await session.peekFlash('notice')).toBe('welcome');
    expect(await session.isNew()).toBe(false);
    expect(await sessions.commit(session)).toEqual({
      setCookie: undefined,
      vary: true,
      changed: false,
      private: true,
    });
    expect(store.calls).toMatchObject({ load: 1, write: 0, touch: 0, delete: 0 });
    // Control: the same request, writable, does touch.
    const writable = sessions.open(cookie);
    await writable.get('user');
    await sessions.commit(writable);
    expect(store.calls.write + store.calls.touch).toBe(1);
  });

  it('commit can be called more than once and never throws: there is nothing to lose', async () => {
    const { sessions, cookie } = await stored();
    const session = sessions.open(cookie, { readOnly: true });
    await session.get('user');
    await sessions.commit(session);
    await expect(sessions.commit(session)).resolves.toMatchObject({ setCookie: undefined });
  });

  it('a new visitor gets no ID: a refused write mints nothing, commit sets no cookie', async () => {
    const { sessions, store, events } = setup();
    const session = sessions.open(null, { readOnly: true });
    await expect(session.set('user', 'x')).rejects.toBeInstanceOf(SessionReadOnlyError);
    expect(await session.isNew()).toBe(true);
    expect((await sessions.commit(session)).setCookie).toBeUndefined();
    expect(store.total).toBe(0);
    expect(events.filter((event) => event.type === 'created')).toEqual([]);
  });

  it('a cookie signed with a retired secret is not re-signed (that would set a cookie)', async () => {
    const { store, cookie, clock } = await stored();
    const rotated = createSessionManager({
      store,
      secrets: ['a-new-secret-that-is-at-least-32-bytes-long', SECRET],
      now: clock.now,
    });
    const session = rotated.open(cookie, { readOnly: true });
    expect(await session.get('user')).toBe('ada');
    expect((await rotated.commit(session)).setCookie).toBeUndefined();
    // Control: a writable session re-signs it.
    const writable = rotated.open(cookie);
    await writable.get('user');
    expect((await rotated.commit(writable)).setCookie).toMatch(/^sid=/);
  });

  it('readOnlyError builds the error a refused write rejects with', async () => {
    const { sessions } = setup();
    class FrameworkError extends Error {}
    const session = sessions.open(null, {
      readOnly: true,
      readOnlyError: (operation) => new FrameworkError(`no ${operation} here`),
    });
    const error = await session.destroy().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    expect((error as Error).message).toBe('no destroy here');
  });

  it('without readOnly (control) the same writes succeed', async () => {
    const { sessions, cookie } = await stored();
    for (const method of writes) await call(sessions.open(cookie), method);
  });
});
