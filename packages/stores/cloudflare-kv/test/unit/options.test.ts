import { type CloudflareKvStoreOptions, cloudflareKvStore } from '@fetch-session/cloudflare-kv';
import { SessionConfigError } from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';
import { unusedNamespace } from './unused-namespace.js';

const valid: CloudflareKvStoreOptions = { namespace: unusedNamespace };

describe('cloudflareKvStore options', () => {
  it('accepts a binding alone, and every option at its bounds', () => {
    expect(cloudflareKvStore(valid).name).toBe('cloudflare-kv');
    expect(
      cloudflareKvStore({
        ...valid,
        cacheTtl: 30,
        writeInterval: 0,
        maxRetries: 0,
        tombstoneTtl: 0,
        maxTombstones: 0,
        userIndexPrefix: 'ü'.repeat(64),
        now: () => 0,
      }).name,
    ).toBe('cloudflare-kv');
  });

  it.each<[string, Partial<Record<keyof CloudflareKvStoreOptions, unknown>>]>([
    ['namespace', { namespace: undefined }],
    ['namespace', { namespace: {} }],
    ['namespace', { namespace: { get() {}, put() {} } }],
    ['cacheTtl', { cacheTtl: 29 }], // KV's minimum is 30
    ['cacheTtl', { cacheTtl: 30.5 }],
    ['cacheTtl', { cacheTtl: '60' }],
    ['writeInterval', { writeInterval: -1 }],
    ['writeInterval', { writeInterval: Number.NaN }],
    ['writeInterval', { writeInterval: 61 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['maxRetries', { maxRetries: 11 }],
    ['tombstoneTtl', { tombstoneTtl: -5 }],
    ['tombstoneTtl', { tombstoneTtl: Number.POSITIVE_INFINITY }],
    ['maxTombstones', { maxTombstones: -1 }],
    ['namespace', { namespace: { ...unusedNamespace, list: 'no' } }],
    ['userIndexPrefix', { userIndexPrefix: '' }],
    ['userIndexPrefix', { userIndexPrefix: 'é'.repeat(65) }],
    ['userIndexPrefix', { userIndexPrefix: 5 }],
    ['now', { now: 5 }],
  ])('rejects a bad %s at construction, naming it', (option, overrides) => {
    const build = () =>
      cloudflareKvStore({ ...valid, ...overrides } as unknown as CloudflareKvStoreOptions);
    expect(build).toThrow(SessionConfigError);
    expect(build).toThrowError(expect.objectContaining({ option, code: 'ERR_SESSION_CONFIG' }));
  });

  it('keeps a per-user index only when the namespace can list() it', () => {
    expect(cloudflareKvStore(valid).listUserSessions).toBeUndefined();
    const listing = { ...unusedNamespace, list: unusedNamespace.get as never };
    expect(cloudflareKvStore({ namespace: listing }).listUserSessions).toBeTypeOf('function');
  });

  it('rejects a missing options object', () => {
    expect(() => cloudflareKvStore(undefined as unknown as CloudflareKvStoreOptions)).toThrow(
      SessionConfigError,
    );
  });
});
