import type { SessionMeta } from '@fetch-session/core';
import { MAX_KEY_BYTES } from './key.js';
import type { StoredSession } from './record-codec.js';

/**
 * The per-user index: one KV key per bound session, `<prefix><user>:<store key>`, where
 * `<user>` is the base64url SHA-256 of the user ID (43 characters). Its value is empty; its
 * KV metadata holds what a session list shows, so listing a user's sessions is one `list()`
 * per 1000 sessions and no reads. It is written with the session's own expiration.
 *
 * Hashing keeps user IDs (up to 256 characters, any text) out of key names, bounds the key's
 * length, and leaves no separator inside `<user>` that one user ID could use to reach into
 * another's prefix.
 */

/** Longest device label kept in an index entry, in UTF-16 code units; longer ones are cut. */
export const MAX_INDEXED_DEVICE_LENGTH = 128;

/** The format version of an index entry's metadata. */
const VERSION = 1;

const encoder = new TextEncoder();

/** The KV key prefix of `userId`'s index entries: `<prefix><hash>:`. */
export async function userPrefix(indexPrefix: string, userId: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(userId)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  const hash = btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${indexPrefix}${hash}:`;
}

/** The length of a user ID's hash in index keys: base64url of 32 bytes. */
const HASH_LENGTH = 43;

/**
 * Throws a `RangeError` (naming sizes, never the key) when the index key of the session `key`
 * would be longer than KV accepts. With the core's keys (a `keyPrefix` of at most 128 bytes)
 * and a `userIndexPrefix` of at most 128 bytes it never is.
 */
export function checkIndexKey(indexPrefix: string, key: string): void {
  const length = indexPrefix.length + HASH_LENGTH + 1 + key.length;
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no encoding.
  if (length * 3 <= MAX_KEY_BYTES) return;
  const bytes = encoder.encode(indexPrefix).length + HASH_LENGTH + 1 + encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) {
    throw new RangeError(
      `the per-user index key would be ${bytes} bytes; KV keys are at most ${MAX_KEY_BYTES} (shorten the manager's keyPrefix or the store's userIndexPrefix)`,
    );
  }
}

/** What an index entry's metadata holds, in short names (KV allows 1024 bytes of JSON). */
interface IndexMetadata {
  readonly v: number;
  /** createdAt */
  readonly c: number;
  /** lastSeenAt */
  readonly l: number;
  /** permanent */
  readonly p: boolean;
  /** The session's `expiresAt`; absent when it never expires. */
  readonly e?: number;
  /** The device label, cut to {@link MAX_INDEXED_DEVICE_LENGTH}. */
  readonly d?: string;
  /** The session's lineage (`meta.origin`, 43 characters from the core). */
  readonly o?: string;
}

/** The device label as an index entry keeps it. */
export function indexedDevice(device: string | undefined): string | undefined {
  if (device === undefined || device.length <= MAX_INDEXED_DEVICE_LENGTH) return device;
  let cut = device.slice(0, MAX_INDEXED_DEVICE_LENGTH);
  // Never leave half of a surrogate pair at the end.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

/**
 * The metadata of a session's index entry. At most ~1000 bytes as JSON: three numbers, a
 * boolean, a label of at most 128 code units (6 bytes each when JSON escapes them) and a
 * lineage of at most 64 (the core's are 43 base64url characters).
 */
export function encodeIndexMetadata(session: StoredSession): IndexMetadata {
  const { createdAt, lastSeenAt, permanent } = session.meta;
  const device = indexedDevice(session.meta.device);
  return {
    v: VERSION,
    c: createdAt,
    l: lastSeenAt,
    p: permanent,
    ...(Number.isFinite(session.expiresAt) && { e: session.expiresAt }),
    ...(device !== undefined && { d: device }),
    ...(session.meta.origin !== undefined && { o: session.meta.origin.slice(0, 64) }),
  };
}

/**
 * The session metadata an index entry stands for, or `undefined` for metadata this store did
 * not write (then the caller reads the session itself).
 */
export function decodeIndexMetadata(
  metadata: unknown,
  userId: string,
): { readonly meta: SessionMeta; readonly expiresAt: number } | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { v, c, l, p, e, d, o } = metadata as Record<string, unknown>;
  if (
    v !== VERSION ||
    typeof c !== 'number' ||
    typeof l !== 'number' ||
    typeof p !== 'boolean' ||
    (e !== undefined && typeof e !== 'number') ||
    (d !== undefined && typeof d !== 'string') ||
    (o !== undefined && typeof o !== 'string')
  ) {
    return undefined;
  }
  const meta: SessionMeta = {
    createdAt: c,
    lastSeenAt: l,
    permanent: p,
    userId,
    ...(d !== undefined && { device: d }),
    ...(typeof o === 'string' && { origin: o }),
  };
  return { meta, expiresAt: e ?? Number.POSITIVE_INFINITY };
}
