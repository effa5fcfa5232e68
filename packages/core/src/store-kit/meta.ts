import type { SessionMeta } from '../store.js';

/**
 * A stored value a store cannot use: not JSON, the wrong shape, a mistyped property. The
 * message says what was wrong and never quotes the value (it is session data: S24). The core
 * treats a load that throws it like any store failure; a store that would rather read such a
 * record as absent catches it.
 */
export class StoredDataError extends Error {
  override name = 'StoredDataError';
}

/**
 * Session metadata as one JSON string: only the known properties, in a fixed order, so a
 * store can keep it in one column, hash field or value and never interpret it.
 *
 * @example
 * ```ts
 * import { decodeMeta, encodeMeta } from '@fetch-session/core/store-kit';
 *
 * const text = encodeMeta(patch.meta); // '{"createdAt":…,"lastSeenAt":…,"permanent":false}'
 * const meta = decodeMeta(text);
 * ```
 */
export function encodeMeta(meta: SessionMeta): string {
  return JSON.stringify(metaObject(meta));
}

/**
 * Metadata as a plain object with only the known properties, for stores that embed it in a
 * larger JSON document (`{ meta, fields }`).
 */
export function metaObject(meta: SessionMeta): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    createdAt: meta.createdAt,
    lastSeenAt: meta.lastSeenAt,
    permanent: meta.permanent,
  };
  if (meta.userId !== undefined) stored.userId = meta.userId;
  if (meta.device !== undefined) stored.device = meta.device;
  if (meta.origin !== undefined) stored.origin = meta.origin;
  if (meta.authenticatedAt !== undefined) stored.authenticatedAt = meta.authenticatedAt;
  return stored;
}

/** Parses and checks metadata written by {@link encodeMeta}; throws {@link StoredDataError}. */
export function decodeMeta(text: string): SessionMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoredDataError('stored session metadata is not JSON');
  }
  return parseMeta(value);
}

/**
 * Checks already-parsed metadata (an object from a JSON document or a database row): finite
 * timestamps (`authenticatedAt` too, when present), a boolean `permanent`, string
 * `userId`/`device`/`origin` when present. Unknown properties
 * are dropped. Throws {@link StoredDataError}.
 */
export function parseMeta(value: unknown): SessionMeta {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoredDataError('stored session metadata is not an object');
  }
  const { createdAt, lastSeenAt, permanent, userId, device, origin, authenticatedAt } =
    value as Record<string, unknown>;
  if (
    !isTime(createdAt) ||
    !isTime(lastSeenAt) ||
    typeof permanent !== 'boolean' ||
    (userId !== undefined && typeof userId !== 'string') ||
    (device !== undefined && typeof device !== 'string') ||
    (origin !== undefined && typeof origin !== 'string') ||
    (authenticatedAt !== undefined && !isTime(authenticatedAt))
  ) {
    throw new StoredDataError('stored session metadata has missing or mistyped properties');
  }
  // Assigned one by one rather than spread: this runs on every store write, and spreading
  // conditional objects costs more than the rest of the check.
  const meta: { -readonly [K in keyof SessionMeta]: SessionMeta[K] } = {
    createdAt,
    lastSeenAt,
    permanent,
  };
  if (typeof userId === 'string') meta.userId = userId;
  if (typeof device === 'string') meta.device = device;
  if (typeof origin === 'string') meta.origin = origin;
  if (isTime(authenticatedAt)) meta.authenticatedAt = authenticatedAt;
  return meta;
}

/**
 * Checks stored fields (field name to serialized value): an object whose values are all
 * strings. Returns a copy built with `Object.fromEntries`, so a field named `__proto__` is an
 * own property and cannot reach the prototype (S30). Throws {@link StoredDataError}.
 */
export function parseFields(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StoredDataError('stored session fields are not an object');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [, field] of entries) {
    if (typeof field !== 'string') {
      throw new StoredDataError('a stored session field is not a string');
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
