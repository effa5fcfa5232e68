import type { KVNamespace } from '@cloudflare/workers-types';
import { type CloudflareKvStoreOptions, cloudflareKvStore } from '@fetch-session/cloudflare-kv';
import type { SessionStore } from '@fetch-session/core';
import { describe, expectTypeOf, it } from 'vitest';

describe('public types', () => {
  it('takes a KVNamespace binding from @cloudflare/workers-types as it is', () => {
    expectTypeOf<KVNamespace>().toExtend<CloudflareKvStoreOptions['namespace']>();
    expectTypeOf(cloudflareKvStore).returns.toEqualTypeOf<SessionStore>();
  });
});
