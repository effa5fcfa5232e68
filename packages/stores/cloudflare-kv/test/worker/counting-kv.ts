import type { KvNamespaceLike } from '@fetch-session/cloudflare-kv';

/** One KV call seen by {@link countKvCalls}. */
export interface KvCall {
  readonly op: 'get' | 'put' | 'delete' | 'list';
  /** The key; for `list`, the prefix. */
  readonly key: string;
  /** `Date.now()` in the Worker when the call started. */
  readonly at: number;
  readonly options?: unknown;
}

/** Wraps a KV binding and records every call, so tests can count KV operations per request. */
export function countKvCalls(kv: KvNamespaceLike): {
  readonly kv: KvNamespaceLike;
  /** The calls since the last `take()`. */
  take(): KvCall[];
} {
  let calls: KvCall[] = [];
  return {
    kv: {
      get(key, options) {
        calls.push({ op: 'get', key, at: Date.now(), options });
        return kv.get(key, options);
      },
      put(key, value, options) {
        calls.push({ op: 'put', key, at: Date.now(), options });
        return kv.put(key, value, options);
      },
      delete(key) {
        calls.push({ op: 'delete', key, at: Date.now() });
        return kv.delete(key);
      },
      list(options) {
        calls.push({ op: 'list', key: options.prefix ?? '', at: Date.now(), options });
        if (kv.list === undefined) throw new Error('no list()');
        return kv.list(options);
      },
    },
    take() {
      const taken = calls;
      calls = [];
      return taken;
    },
  };
}
