import type { SessionMeta } from '@fetch-session/core';

/** What one KV value holds: the session record plus its expiry, as one JSON document. */
export interface StoredSession {
  readonly meta: SessionMeta;
  readonly fields: Readonly<Record<string, string>>;
  /**
   * When the record may be dropped (epoch ms), or `Infinity` (stored as `null`); `load`
   * refuses it past this time.
   */
  readonly expiresAt: number;
}

/** The format version written by this store, so a future format can read old values. */
const VERSION = 1;

/** Serializes a record for KV: `{"v":1,"expiresAt":...,"meta":{...},"fields":{...}}`. */
export function encodeRecord(session: StoredSession): string {
  return JSON.stringify({
    v: VERSION,
    // JSON has no Infinity (it would write null anyway): null, read back as Infinity.
    expiresAt: session.expiresAt === Number.POSITIVE_INFINITY ? null : session.expiresAt,
    meta: session.meta,
    fields: session.fields,
  });
}

/**
 * Parses a KV value written by {@link encodeRecord}. Throws a `TypeError` without any of the
 * value's content (a JSON parser's message quotes the text, which is session data: S24).
 * Field names are own data properties of a parsed object, so `__proto__` cannot pollute (S30).
 */
export function decodeRecord(text: string): StoredSession {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError('a stored session is not valid JSON');
  }
  if (!isObject(parsed) || parsed.v !== VERSION) {
    throw new TypeError('a stored session has an unknown format');
  }
  const { meta, fields } = parsed;
  const expiresAt = parsed.expiresAt === null ? Number.POSITIVE_INFINITY : parsed.expiresAt;
  if (typeof expiresAt !== 'number' || !isObject(meta) || !isObject(fields)) {
    throw new TypeError('a stored session has an unknown format');
  }
  for (const field in fields) {
    if (typeof fields[field] !== 'string') {
      throw new TypeError('a stored session has a non-string field value');
    }
  }
  return {
    expiresAt,
    meta: decodeMeta(meta),
    fields: fields as Record<string, string>,
  };
}

function decodeMeta(meta: Record<string, unknown>): SessionMeta {
  const { createdAt, lastSeenAt, permanent, userId, device } = meta;
  if (
    typeof createdAt !== 'number' ||
    typeof lastSeenAt !== 'number' ||
    typeof permanent !== 'boolean' ||
    (userId !== undefined && typeof userId !== 'string') ||
    (device !== undefined && typeof device !== 'string')
  ) {
    throw new TypeError('a stored session has invalid metadata');
  }
  return {
    createdAt,
    lastSeenAt,
    permanent,
    ...(userId !== undefined && { userId }),
    ...(device !== undefined && { device }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
