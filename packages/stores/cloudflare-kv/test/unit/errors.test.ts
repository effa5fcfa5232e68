import { cloudflareKvStore, type KvNamespaceLike } from '@fetch-session/cloudflare-kv';
import { createSessionManager } from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { isRedacted } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';

const SECRET = 'sess:secret-key-and-data';

/** A KV binding whose every call fails with a message quoting what it was asked (as some do). */
const failingKv: KvNamespaceLike = {
  get: async (key) => {
    throw new Error(`KV GET failed: 500 for ${key} ${SECRET}`);
  },
  put: async (key) => {
    throw new Error(`KV PUT failed: 500 for ${key} ${SECRET}`);
  },
  delete: async (key) => {
    throw new Error(`KV DELETE failed: 500 for ${key} ${SECRET}`);
  },
};

describe('KV failures', () => {
  it('S24: the store throws a redacted copy of the binding error, the original kept apart', async () => {
    const store = cloudflareKvStore({ namespace: failingKv, writeInterval: 0, maxRetries: 0 });
    const error = await store.load('k1').catch((e: unknown) => e);
    expect(isRedacted(error)).toBe(true);
    expect(error).not.toBeInstanceOf(SessionStoreError);
    expect(String((error as Error).message)).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(((error as { original: Error }).original as Error).message).toContain(SECRET);
  });

  it('S24: through a manager, one SessionStoreError whose cause is the redacted error (no double wrap)', async () => {
    const store = cloudflareKvStore({ namespace: failingKv, writeInterval: 0, maxRetries: 0 });
    const sessions = createSessionManager({
      store,
      secrets: 'errors-test-secret-0123456789abcdefghijkl',
    });
    const session = sessions.open(null);
    await session.set('user', 'ada');
    const error = await sessions.commit(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ store: 'cloudflare-kv', operation: 'write' });
    const cause = (error as Error).cause;
    expect(cause).not.toBeInstanceOf(SessionStoreError);
    expect(isRedacted(cause)).toBe(true);
    expect((cause as Error).message).not.toContain(SECRET);
  });
});
