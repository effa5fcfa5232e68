import { createSessionManager } from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';

const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
const forever = { mode: 'create' as const, expiresAt: Number.MAX_SAFE_INTEGER };
const patch = (value: string) => ({ meta, set: { 'd:v': value }, delete: [] });
const signedIn = (user: string) => ({
  meta: { ...meta, userId: user },
  set: { 'd:v': user },
  delete: [],
});
const update = { mode: 'update' as const, expiresAt: Number.MAX_SAFE_INTEGER };

describe('memory store', () => {
  it('evicts the least recently used session past maxEntries', async () => {
    const store = memoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.write(key, patch(key), forever);
    await store.load('a'); // a is now the most recently used; b the least
    await store.write('d', patch('d'), forever);
    expect(store.size).toBe(3);
    expect(await store.load('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect((await store.load(key))?.fields['d:v']).toBe(key);
  });

  it('stays within its bound under a flood of new sessions', async () => {
    const store = memoryStore({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) await store.write(`k${i}`, patch('x'), forever);
    expect(store.size).toBe(100);
    expect(await store.load('k9999')).toBeDefined();
    expect(await store.load('k0')).toBeUndefined();
  });

  it('keeps a session that is in use while a flood of new sessions passes through', async () => {
    const store = memoryStore({ maxEntries: 100 });
    await store.write('hot', patch('hot'), forever);
    for (let i = 0; i < 5_000; i++) {
      await store.write(`k${i}`, patch('x'), forever);
      if (i % 10 === 0) expect(await store.load('hot'), `after ${i} new sessions`).toBeDefined();
    }
    expect(store.size).toBe(100);
  });

  it('drops expired records lazily, on access', async () => {
    const clock = createTestClock();
    const store = memoryStore({ now: clock.now });
    await store.write('a', patch('a'), { mode: 'create', expiresAt: clock.now() + 10 });
    expect(store.size).toBe(1);
    clock.advance(10);
    expect(await store.load('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('starts no timer that would keep a process alive', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const store = memoryStore();
    await store.write('a', patch('a'), { mode: 'create', expiresAt: Date.now() + 60_000 });
    await store.load('a');
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBe(before);
  });

  it('returns frozen records, so a caller cannot corrupt the store', async () => {
    const store = memoryStore();
    await store.write('a', patch('a'), forever);
    const record = await store.load('a');
    expect(Object.isFrozen(record?.fields)).toBe(true);
    expect(Object.isFrozen(record?.meta)).toBe(true);
  });

  it('rejects a bad maxEntries, maxBytes or clock at construction, naming the option', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => memoryStore({ maxEntries })).toThrowError(
        expect.objectContaining({ option: 'maxEntries', code: 'ERR_SESSION_CONFIG' }),
      );
    }
    for (const maxBytes of [0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => memoryStore({ maxBytes })).toThrowError(
        expect.objectContaining({ option: 'maxBytes', code: 'ERR_SESSION_CONFIG' }),
      );
    }
    expect(memoryStore({ maxBytes: Number.POSITIVE_INFINITY }).bytes).toBe(0);
    expect(() => memoryStore({ now: 5 as unknown as () => number })).toThrow(SessionConfigError);
  });

  it('H3: signed-in sessions survive a flood of anonymous writers far beyond maxEntries', async () => {
    const store = memoryStore({ maxEntries: 100 });
    for (let u = 0; u < 10; u++) await store.write(`user-${u}`, signedIn(`u${u}`), forever);
    for (let i = 0; i < 50_000; i++) await store.write(`anon-${i}`, patch('x'), forever);
    expect(store.size).toBe(100);
    for (let u = 0; u < 10; u++)
      expect((await store.load(`user-${u}`))?.meta.userId, `user ${u}`).toBe(`u${u}`);
    expect(await store.load('anon-49999')).toBeDefined();
    expect(await store.load('anon-0')).toBeUndefined();
  });

  it('H3: through the session manager, users who signed in stay signed in while cookie-less visitors flood in', async () => {
    const clock = createTestClock();
    const store = memoryStore({ maxEntries: 50, now: clock.now });
    const sessions = createSessionManager({
      store,
      secrets: 'memory-flood-test-secret-0123456789abcdef',
      now: clock.now,
    });
    const cookies: string[] = [];
    for (let u = 0; u < 10; u++) {
      const session = sessions.open(null);
      await session.bindUser(`user-${u}`);
      const { setCookie } = await sessions.commit(session);
      cookies.push(setCookie?.split(';')[0] ?? '');
    }
    for (let i = 0; i < 2_000; i++) {
      const visitor = sessions.open(null);
      await visitor.set('seen', i);
      await sessions.commit(visitor);
    }
    expect(store.size).toBe(50);
    for (const [u, cookie] of cookies.entries()) {
      const session = sessions.open(cookie);
      expect(await session.userId(), `user ${u}`).toBe(`user-${u}`);
    }
  });

  it('evicts the oldest signed-in session only when no anonymous one is left, and never the one just written', async () => {
    const store = memoryStore({ maxEntries: 3 });
    for (const user of ['a', 'b', 'c']) await store.write(user, signedIn(user), forever);
    await store.write('visitor', patch('v'), forever); // full of users: the oldest user goes
    expect(await store.load('a')).toBeUndefined();
    expect(await store.load('visitor')).toBeDefined();
    await store.write('visitor-2', patch('v'), forever); // an anonymous one is there: it goes
    expect(await store.load('visitor')).toBeUndefined();
    for (const key of ['b', 'c', 'visitor-2']) expect(await store.load(key), key).toBeDefined();
  });

  it('a session that signs in is protected from then on; one that signs out is not', async () => {
    const store = memoryStore({ maxEntries: 10 });
    await store.write('joins', patch('x'), forever);
    await store.write('leaves', signedIn('l'), forever);
    await store.write('joins', signedIn('j'), update);
    await store.write('leaves', patch('x'), update);
    for (let i = 0; i < 100; i++) await store.write(`anon-${i}`, patch('x'), forever);
    expect((await store.load('joins'))?.meta.userId).toBe('j');
    expect(await store.load('leaves')).toBeUndefined();
  });

  it('stays within maxBytes, counting two bytes per character of key and stored strings', async () => {
    const value = 'x'.repeat(93); // key "k00" (3) + field "d:v" (3) + 93 + ... = 100 characters
    const store = memoryStore({ maxBytes: 2_000 });
    await store.write('k00', patch(`${value}1`), forever);
    expect(store.bytes).toBe(200);
    for (let i = 1; i < 25; i++)
      await store.write(`k${String(i).padStart(2, '0')}`, patch(`${value}1`), forever);
    expect(store.bytes).toBeLessThanOrEqual(2_000);
    expect(store.size).toBe(10);
    expect(await store.load('k24')).toBeDefined();
    expect(await store.load('k00')).toBeUndefined();
    await store.delete('k24');
    expect(store.bytes).toBe(9 * 200);
  });

  it('keeps signed-in sessions under byte pressure from anonymous ones', async () => {
    const store = memoryStore({ maxBytes: 4_000 });
    await store.write('user', signedIn('u'), forever);
    for (let i = 0; i < 200; i++) await store.write(`anon-${i}`, patch('y'.repeat(200)), forever);
    expect(store.bytes).toBeLessThanOrEqual(4_000);
    expect((await store.load('user'))?.meta.userId).toBe('u');
  });

  it('refuses a single record larger than maxBytes and keeps what it holds', async () => {
    const store = memoryStore({ maxBytes: 1_000 });
    await store.write('small', patch('s'), forever);
    await expect(store.write('huge', patch('z'.repeat(1_000)), forever)).rejects.toThrow(
      RangeError,
    );
    await expect(store.write('small', patch('z'.repeat(1_000)), update)).rejects.toThrow(
      RangeError,
    );
    expect((await store.load('small'))?.fields['d:v']).toBe('s');
    expect(await store.load('huge')).toBeUndefined();
    expect(store.bytes).toBe(2 * ('small'.length + 'd:v'.length + 1));
  });

  it('compacts the stale slots deleted sessions leave, keeping live ones in recency order', async () => {
    const store = memoryStore({ maxEntries: 6 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await store.write(key, patch(key), forever);
    for (let i = 0; i < 5_000; i++) {
      await store.write(`gone-${i}`, patch('x'), forever);
      await store.delete(`gone-${i}`);
    }
    await store.load('a'); // a is now the most recently used; b the least
    await store.write('f', patch('f'), forever);
    await store.write('g', patch('g'), forever);
    expect(store.size).toBe(6);
    expect(await store.load('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd', 'e', 'f', 'g'])
      expect(await store.load(key), key).toBeDefined();
  });
});
