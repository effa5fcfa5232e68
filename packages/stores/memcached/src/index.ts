/**
 * A memcached session store for `@fetch-session/core`, through the `memjs` client: `add` for
 * new sessions, compare-and-set for patches, no per-user index (memcached cannot list keys).
 * @module
 */
export { CasContentionError, memcachedStore } from './memcached-store.js';
export type { MemcachedStoreOptions } from './options.js';
