import type { SessionMeta } from '@fetch-session/core';
import { metaObject, parseFields, parseMeta, StoredDataError } from '@fetch-session/core/store-kit';

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
    meta: metaObject(session.meta),
    fields: session.fields,
  });
}

/**
 * Parses a KV value written by {@link encodeRecord}. Throws the store kit's `StoredDataError`,
 * whose message never quotes the value (a JSON parser's does, and it is session data: S24).
 * Metadata and fields are checked by the store kit, by the same rules as every store.
 */
export function decodeRecord(text: string): StoredSession {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StoredDataError('a stored session is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== VERSION) {
    throw new StoredDataError('a stored session has an unknown format');
  }
  const { meta, fields, expiresAt: stored } = parsed as Record<string, unknown>;
  const expiresAt = stored === null ? Number.POSITIVE_INFINITY : stored;
  if (typeof expiresAt !== 'number' || Number.isNaN(expiresAt)) {
    throw new StoredDataError('a stored session has an unknown format');
  }
  return { expiresAt, meta: parseMeta(meta), fields: parseFields(fields) };
}
