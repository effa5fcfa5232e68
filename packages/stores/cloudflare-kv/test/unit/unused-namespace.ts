import type { KvNamespaceLike } from '@fetch-session/cloudflare-kv';

const unexpected = (): never => {
  throw new Error('this test expects no KV call');
};

/** A binding for tests that must not reach KV at all (configuration, refused keys). */
export const unusedNamespace: KvNamespaceLike = {
  get: unexpected,
  put: unexpected,
  delete: unexpected,
};
