import { createHash } from 'node:crypto';
import { cloudflareKvStore, type KvNamespaceLike } from '@fetch-session/cloudflare-kv';
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src/record-codec.js';
import {
  checkIndexKey,
  decodeIndexMetadata,
  encodeIndexMetadata,
  indexedDevice,
  MAX_INDEXED_DEVICE_LENGTH,
  userPrefix,
} from '../../src/user-index.js';
import { unusedNamespace } from './unused-namespace.js';

const session = (
  overrides: Partial<StoredSession['meta']> = {},
  expiresAt = 9_000,
): StoredSession => ({
  meta: { createdAt: 1_000, lastSeenAt: 2_000, permanent: true, userId: 'ada', ...overrides },
  fields: { 'd:a': '1' },
  expiresAt,
});

describe('index keys', () => {
  it('hash the user ID: fixed length, no separator inside, nothing of the ID in clear', async () => {
    for (const id of ['ada', 'a:b', `x${':'.repeat(255)}`, 'é'.repeat(256), 'ada:']) {
      const prefix = await userPrefix('user-sessions:', id);
      const hash = createHash('sha256').update(id).digest('base64url');
      expect(prefix).toBe(`user-sessions:${hash}:`);
      expect(prefix).toMatch(/^user-sessions:[A-Za-z0-9_-]{43}:$/);
    }
    // "a" with session key "b:c" and "a:b" with "c" cannot meet: the hash has no ':'.
    expect(await userPrefix('p:', 'a')).not.toBe(await userPrefix('p:', 'a:b'));
  });

  it('fit in 512 bytes for every core key; longer ones are refused naming sizes only', () => {
    const coreKey = `${'é'.repeat(64)}${'h'.repeat(43)}`; // a 128-byte keyPrefix + 43
    expect(() => checkIndexKey('ü'.repeat(64), coreKey)).not.toThrow();
    expect(() => checkIndexKey('user-sessions:', 'k'.repeat(454))).not.toThrow(); // 512 bytes
    expect(() => checkIndexKey('user-sessions:', 'k'.repeat(455))).toThrow(
      /index key would be 513 bytes; KV keys are at most 512/,
    );
    try {
      checkIndexKey('user-sessions:', 'k'.repeat(460));
    } catch (error) {
      expect((error as Error).message).not.toContain('kkkk');
    }
  });

  it('the store refuses to bind a key whose index key would be too long, before any KV call', async () => {
    const namespace: KvNamespaceLike = { ...unusedNamespace, list: unusedNamespace.get as never };
    const store = cloudflareKvStore({ namespace });
    const key = 'k'.repeat(460); // a valid KV key, but its index key would not be
    const meta = { createdAt: 0, lastSeenAt: 0, permanent: false, userId: 'ada' };
    const error = await store
      .write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/index key would be 518 bytes/);
    const touched = await store.touch?.(key, meta, { expiresAt: 1 }).catch((e: unknown) => e);
    expect(touched).toBeInstanceOf(RangeError);
  });
});

describe('index entry metadata', () => {
  it('round-trips what a session list shows, under the asked user ID', () => {
    const stored = session({ device: 'Firefox on Linux' });
    const metadata = encodeIndexMetadata(stored);
    expect(metadata).toEqual({
      v: 1,
      c: 1_000,
      l: 2_000,
      p: true,
      e: 9_000,
      d: 'Firefox on Linux',
    });
    expect(decodeIndexMetadata(JSON.parse(JSON.stringify(metadata)), 'ada')).toEqual({
      meta: stored.meta,
      expiresAt: 9_000,
    });
    const never = encodeIndexMetadata(session({}, Number.POSITIVE_INFINITY));
    expect(never).not.toHaveProperty('e');
    expect(decodeIndexMetadata(never, 'ada')?.expiresAt).toBe(Number.POSITIVE_INFINITY);
  });

  it('stays within KV metadata limit of 1024 bytes whatever the device label', () => {
    for (const device of [
      '\u0000'.repeat(10_000),
      '😀'.repeat(5_000),
      `a${'\ud800'.repeat(300)}`,
    ]) {
      const json = JSON.stringify(encodeIndexMetadata(session({ device })));
      expect(new TextEncoder().encode(json).length).toBeLessThanOrEqual(1024);
    }
  });

  it('cuts a long device label without splitting a surrogate pair', () => {
    expect(indexedDevice(undefined)).toBeUndefined();
    expect(indexedDevice('Safari on iOS')).toBe('Safari on iOS');
    const cut = indexedDevice(`a${'😀'.repeat(100)}`) as string;
    expect(cut.length).toBe(MAX_INDEXED_DEVICE_LENGTH - 1);
    expect(cut).toBe(`a${'😀'.repeat(63)}`);
  });

  it('reads foreign or older metadata as unknown (the caller then reads the session)', () => {
    for (const metadata of [
      undefined,
      null,
      'x',
      { v: 2, c: 1, l: 1, p: false },
      { v: 1, c: '1', l: 1, p: false },
      { v: 1, c: 1, l: 1, p: 'no' },
      { v: 1, c: 1, l: 1, p: false, d: 5 },
      { v: 1, c: 1, l: 1, p: false, e: '5' },
    ]) {
      expect(decodeIndexMetadata(metadata, 'ada')).toBeUndefined();
    }
  });
});
