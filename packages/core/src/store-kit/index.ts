/**
 * Helpers for store authors, in one place so every store reads and writes records by the same
 * rules: metadata encoding and validation, expiry arithmetic, error redaction and the
 * `SessionStoreError` around each operation, a per-key queue, a one-time check retried until
 * it passes. Run the conformance suite from `@fetch-session/core/testing` against your store
 * as well.
 *
 * @example A store that keeps one JSON document per session
 * ```ts
 * import { decodeMeta, encodeMeta, parseFields, redactError, millisecondsUntil }
 *   from '@fetch-session/core/store-kit';
 * ```
 * @module
 */
export {
  checkExpiresAt,
  epochSeconds,
  isExpired,
  millisecondsUntil,
  secondsUntil,
} from './expiry.js';
export { KeyedQueue } from './keyed-queue.js';
export {
  decodeMeta,
  encodeMeta,
  metaObject,
  parseFields,
  parseMeta,
  StoredDataError,
} from './meta.js';
export { OnceUntilSuccess } from './once-until-success.js';
export { isRedacted, type RedactedError, redactError } from './redact.js';
export { createStoreGuard, type StoreGuard } from './store-guard.js';
