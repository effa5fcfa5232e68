import { SessionConfigError } from '@fetch-session/core/errors';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';

const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
const forever = { mode: 'create' as const, expiresAt: Number.MAX_SAFE_INTEGER };
const patch = (value: string) => ({ meta, set: { 'd:v': value }, delete: [] });

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

  it('rejects a bad maxEntries or clock at construction, naming the option', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => memoryStore({ maxEntries })).toThrowError(
        expect.objectContaining({ option: 'maxEntries', code: 'ERR_SESSION_CONFIG' }),
      );
    }
    expect(() => memoryStore({ now: 5 as unknown as () => number })).toThrow(SessionConfigError);
  });
});
