import type { KvNamespaceLike } from '@fetch-session/cloudflare-kv';

/** The error the Workers KV binding throws when a key is written more than once a second. */
export const RATE_LIMITED = 'KV PUT failed: 429 Too Many Requests';

/**
 * Wraps a KV binding so that the next writes (put or delete) fail with a given error, the way
 * the real binding fails under KV's one-write-per-second limit, which Miniflare does not enforce.
 */
export function createFlakyKv(kv: KvNamespaceLike): {
  readonly kv: KvNamespaceLike;
  /** Makes the next `count` writes throw `new Error(message)`. */
  failWrites(count: number, message?: string): void;
  /** Writes attempted since the last call, failed ones included. */
  takeAttempts(): number;
} {
  let failures = 0;
  let message = RATE_LIMITED;
  let attempts = 0;
  const write = <T>(call: () => Promise<T>): Promise<T> => {
    attempts++;
    if (failures > 0) {
      failures--;
      return Promise.reject(new Error(message));
    }
    return call();
  };
  return {
    kv: {
      get: (key, options) => kv.get(key, options),
      put: (key, value, options) => write(() => kv.put(key, value, options)),
      delete: (key) => write(() => kv.delete(key)),
      list: (options) => {
        if (kv.list === undefined) throw new Error('no list()');
        return kv.list(options);
      },
    },
    failWrites(count, withMessage = RATE_LIMITED) {
      failures = count;
      message = withMessage;
    },
    takeAttempts() {
      const taken = attempts;
      attempts = 0;
      return taken;
    },
  };
}
