import type { SessionStore } from '../store.js';

/** How many times each store method was called. */
export interface StoreCallCounts {
  load: number;
  write: number;
  touch: number;
  delete: number;
}

/** A store wrapped so that tests can count its calls; behaviour is the wrapped store's. */
export interface CountingStore extends SessionStore {
  readonly calls: StoreCallCounts;
  /** Total calls of every method. */
  readonly total: number;
  /** Sets every count back to zero. */
  reset(): void;
}

/**
 * Wraps a real store and counts calls, for assertions such as "a tampered cookie costs zero
 * store calls" (S11) or "a read-only request writes nothing" (S12).
 */
export function countStoreCalls(store: SessionStore): CountingStore {
  const calls: StoreCallCounts = { load: 0, write: 0, touch: 0, delete: 0 };
  const counting: CountingStore = {
    name: store.name,
    calls,
    get total() {
      return calls.load + calls.write + calls.touch + calls.delete;
    },
    reset() {
      calls.load = calls.write = calls.touch = calls.delete = 0;
    },
    load(key) {
      calls.load++;
      return store.load(key);
    },
    write(key, patch, options) {
      calls.write++;
      return store.write(key, patch, options);
    },
    delete(key) {
      calls.delete++;
      return store.delete(key);
    },
  };
  const list = store.listUserSessions;
  if (list !== undefined) {
    // Forwarded, not counted: the counts are about the per-request path.
    counting.listUserSessions = (userId) => list.call(store, userId);
  }
  const touch = store.touch;
  if (touch !== undefined) {
    counting.touch = (key, meta, options) => {
      calls.touch++;
      return touch.call(store, key, meta, options);
    };
  }
  return counting;
}
