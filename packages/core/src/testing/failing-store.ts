import type { SessionStore } from '../store.js';

/** A real store behind a switch that makes every call fail: a fault double, for outage tests. */
export interface SwitchableStore extends SessionStore {
  /** While true, every call rejects with an error that embeds the key (as SDK errors do). */
  failing: boolean;
}

/**
 * Wraps a real store so tests can simulate an outage (S29) without stopping a server. It is a
 * fault double, not a store: use real stores for everything else.
 */
export function createSwitchableStore(store: SessionStore): SwitchableStore {
  const { touch, listUserSessions: list } = store;
  const fail = (key: string): Error =>
    new Error(`connection reset while running a command on ${key}`);
  const switchable: SwitchableStore = {
    name: store.name,
    failing: false,
    load(key) {
      return this.failing ? Promise.reject(fail(key)) : store.load(key);
    },
    write(key, patch, options) {
      return this.failing ? Promise.reject(fail(key)) : store.write(key, patch, options);
    },
    delete(key) {
      return this.failing ? Promise.reject(fail(key)) : store.delete(key);
    },
    // The optional methods are forwarded only where the real store has them, so the core
    // takes the same paths it would take without the switch.
    ...(touch !== undefined && {
      touch(key, meta, options) {
        return this.failing ? Promise.reject(fail(key)) : touch.call(store, key, meta, options);
      },
    }),
    ...(list !== undefined && {
      listUserSessions(userId) {
        return this.failing ? Promise.reject(fail(userId)) : list.call(store, userId);
      },
    }),
  };
  return switchable;
}
