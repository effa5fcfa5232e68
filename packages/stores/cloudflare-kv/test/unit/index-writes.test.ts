import { cloudflareKvStore, type KvNamespaceLike } from '@fetch-session/cloudflare-kv';
import { isRedacted } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';

/** An in-memory KV with a call log, whose puts to one key can be made to fail. */
function fakeKv() {
  const values = new Map<string, { value: string; metadata?: unknown }>();
  const log: string[] = [];
  let failPut: string | undefined;
  const kind = (key: string) => (key.startsWith('user-sessions:') ? 'entry' : key);
  const namespace: KvNamespaceLike = {
    async get(key) {
      log.push(`get ${kind(key)}`);
      return values.get(key)?.value ?? null;
    },
    async put(key, value, options) {
      log.push(`put ${kind(key)}`);
      if (key === failPut) throw new Error('KV PUT failed: 500 Internal Server Error');
      values.set(key, { value, metadata: options?.metadata });
    },
    async delete(key) {
      log.push(`delete ${kind(key)}`);
      values.delete(key);
    },
    async list({ prefix = '' }) {
      log.push('list');
      const keys = [...values]
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, { metadata }]) => ({ name, metadata }));
      return { keys, list_complete: true };
    },
  };
  return {
    namespace,
    values,
    take: () => log.splice(0),
    failPutsTo: (key: string | undefined) => {
      failPut = key;
    },
  };
}

const meta = { createdAt: 1, lastSeenAt: 1, permanent: false, userId: 'ada' };
const options = { mode: 'create', expiresAt: Number.POSITIVE_INFINITY } as const;

describe('index writes around the session write', () => {
  it('writes the entry before the session, and removes it after the session', async () => {
    const kv = fakeKv();
    const store = cloudflareKvStore({ namespace: kv.namespace, writeInterval: 0 });
    await store.write('s1', { meta, set: { 'd:a': '1' }, delete: [] }, options);
    expect(kv.take()).toEqual(['get s1', 'put entry', 'put s1']);
    await store.delete('s1');
    expect(kv.take()).toEqual(['get s1', 'delete s1', 'delete entry']);
    expect(kv.values.size).toBe(0);
  });

  it('drops the entry of a new session whose write failed (it has no cookie anywhere)', async () => {
    const kv = fakeKv();
    const store = cloudflareKvStore({ namespace: kv.namespace, writeInterval: 0, maxRetries: 0 });
    kv.failPutsTo('s1');
    const error = await store
      .write('s1', { meta, set: {}, delete: [] }, options)
      .catch((e: unknown) => e);
    expect(isRedacted(error)).toBe(true);
    expect(kv.take()).toEqual(['get s1', 'put entry', 'put s1', 'delete entry']);
    kv.failPutsTo(undefined);
    expect(await store.listUserSessions?.('ada')).toEqual([]);
  });

  it('deletes a value it cannot decode (no index entry to find), without failing', async () => {
    const kv = fakeKv();
    const store = cloudflareKvStore({ namespace: kv.namespace, writeInterval: 0 });
    kv.values.set('s1', { value: 'not json' });
    await store.delete('s1');
    expect(kv.take()).toEqual(['get s1', 'delete s1']);
    expect(kv.values.size).toBe(0);
  });

  it('without list(), keeps no index and reads nothing to delete', async () => {
    const kv = fakeKv();
    const { list: _, ...withoutList } = kv.namespace;
    const store = cloudflareKvStore({ namespace: withoutList, writeInterval: 0 });
    expect(store.listUserSessions).toBeUndefined();
    await store.write('s1', { meta, set: {}, delete: [] }, options);
    await store.delete('s1');
    expect(kv.take()).toEqual(['get s1', 'put s1', 'delete s1']);
  });
});
