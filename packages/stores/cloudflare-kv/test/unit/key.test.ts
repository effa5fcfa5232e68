import { cloudflareKvStore, MAX_KEY_BYTES } from '@fetch-session/cloudflare-kv';
import { describe, expect, it } from 'vitest';
import { unusedNamespace } from './unused-namespace.js';

const store = cloudflareKvStore({ namespace: unusedNamespace });
const meta = { createdAt: 0, lastSeenAt: 0, permanent: false };
const hash = 'h'.repeat(43); // the core's keys are keyPrefix + 43 characters

describe('KV key limits, checked before any KV call', () => {
  it(`refuses keys over ${MAX_KEY_BYTES} UTF-8 bytes with a typed error that omits the key`, async () => {
    // 278 characters, but 513 bytes: the limit is in bytes.
    const key = 'é'.repeat(235) + hash;
    const calls = [
      ['load', store.load(key)],
      ['write', store.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: 1 })],
      ['touch', store.touch?.(key, meta, { expiresAt: 1 })],
      ['delete', store.delete(key)],
    ] as const;
    for (const [operation, call] of calls) {
      const error = await Promise.resolve(call).catch((e: unknown) => e);
      // The store's own check, passed unwrapped: the core wraps it in one SessionStoreError.
      expect(error, operation).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/513 bytes; KV keys are at most 512/);
      expect((error as Error).message).not.toContain(hash);
    }
  });

  it('refuses the keys KV reserves', async () => {
    for (const key of ['', '.', '..']) {
      await expect(store.load(key)).rejects.toBeInstanceOf(RangeError);
    }
  });
});

describe('call arguments, checked before any KV call', () => {
  it('fails a call with a bad expiresAt or mode alone, as a typed error', async () => {
    const patch = { meta, set: {}, delete: [] };
    await expect(
      store.write('k', patch, { mode: 'create', expiresAt: Number.NaN }),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(
      store.write('k', patch, { mode: 'upsert' as 'create', expiresAt: 1 }),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(
      store.touch?.('k', meta, { expiresAt: '1' as unknown as number }),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
