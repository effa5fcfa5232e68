/**
 * A Cloudflare Durable Objects session store for `@fetch-session/core`: strongly consistent
 * sessions on Workers. Export {@link SessionObject} from your Worker, bind it with a SQLite
 * migration, and pass the binding to {@link durableObjectStore}. Unlike Workers KV, a delete
 * ("log out", "log out everywhere") holds on the very next request from any location.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { durableObjectStore } from '@fetch-session/durable-objects';
 * export { SessionObject } from '@fetch-session/durable-objects';
 *
 * const sessions = createSessionManager({
 *   store: durableObjectStore({ namespace: env.SESSIONS }),
 *   secrets: [env.SESSION_SECRET],
 * });
 * ```
 * @module
 */
export type { RedactedObjectError } from './errors.js';
export type { SessionObjectNamespace, SessionObjectStub } from './namespace.js';
export type { DurableObjectStoreOptions } from './options.js';
export { SessionObject } from './session-object.js';
export { durableObjectStore } from './store.js';
export type { WireDeleteAnswer, WireRecord, WireWrite, WireWriteAnswer } from './wire.js';
