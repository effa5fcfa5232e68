import type { SessionMeta } from '@fetch-session/core';
import { metaObject, parseFields, parseMeta, StoredDataError } from '@fetch-session/core/store-kit';

/** One memcached value: a session record and its expiry, as one JSON document. */
export interface StoredSession {
  readonly meta: SessionMeta;
  readonly fields: Readonly<Record<string, string>>;
  /** Epoch ms, or `Infinity` (stored as null). */
  readonly expiresAt: number;
}

const VERSION = 1;
const decoder = new TextDecoder();

export function encodeSession(session: StoredSession): string {
  return JSON.stringify({
    v: VERSION,
    expiresAt: Number.isFinite(session.expiresAt) ? session.expiresAt : null,
    meta: metaObject(session.meta),
    fields: session.fields,
  });
}

/** Parses a stored value; throws {@link StoredDataError}, never quoting the value (S24). */
export function decodeSession(bytes: Uint8Array): StoredSession {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch {
    throw new StoredDataError('a stored session is not valid JSON');
  }
  if (typeof value !== 'object' || value === null) {
    throw new StoredDataError('a stored session is not an object');
  }
  const { v, expiresAt, meta, fields } = value as Record<string, unknown>;
  const expiry = expiresAt === null ? Number.POSITIVE_INFINITY : expiresAt;
  if (v !== VERSION || typeof expiry !== 'number' || Number.isNaN(expiry)) {
    throw new StoredDataError('a stored session has an unknown format');
  }
  return { meta: parseMeta(meta), fields: parseFields(fields), expiresAt: expiry };
}
