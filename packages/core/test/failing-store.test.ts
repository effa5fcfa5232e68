// The outage switch (createSwitchableStore) is a fault double: it must behave exactly like the
// store it wraps until switched, optional methods included, and then fail every call.
import { createSwitchableStore } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false, userId: 'u1' };
const later = Number.MAX_SAFE_INTEGER;

describe('createSwitchableStore', () => {
  it('forwards touch and listUserSessions, and fails them when switched', async () => {
    const memory = memoryStore();
    const store = createSwitchableStore(memory);
    await store.write(
      'k',
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later },
    );
    expect(store.touch).toBeTypeOf('function');
    expect(await store.touch?.('k', { ...meta, lastSeenAt: 5 }, { expiresAt: later })).toBe('ok');
    expect((await memory.load('k'))?.meta.lastSeenAt).toBe(5);
    expect((await store.listUserSessions?.('u1'))?.map((entry) => entry.key)).toEqual(['k']);

    store.failing = true;
    await expect(store.touch?.('k', meta, { expiresAt: later })).rejects.toThrow(/on k$/);
    await expect(store.listUserSessions?.('u1')).rejects.toThrow(/on u1$/);
    await expect(store.load('k')).rejects.toThrow(/connection reset/);
    store.failing = false;
    expect((await store.load('k'))?.fields).toEqual({ 'd:a': '1' });
  });

  it('has no touch or listUserSessions where the real store has none', () => {
    const memory = memoryStore();
    const store = createSwitchableStore({
      name: 'minimal',
      load: (key) => memory.load(key),
      write: (key, patch, options) => memory.write(key, patch, options),
      delete: (key) => memory.delete(key),
    });
    expect('touch' in store).toBe(false);
    expect('listUserSessions' in store).toBe(false);
  });

  it('a switched call rejects rather than throwing synchronously', () => {
    const store = createSwitchableStore(memoryStore());
    store.failing = true;
    const pending = store.load('k');
    expect(pending).toBeInstanceOf(Promise);
    return expect(pending).rejects.toThrow();
  });
});
