/**
 * Turns store calls into script arguments and script replies into records. Nothing here
 * talks to the network; errors name what was wrong, never the key or the data (S24).
 * @module
 */
import type { SessionMeta, SessionRecord } from '@fetch-session/core';
import { META_FIELD, REPLY_MARK } from './scripts.js';

/** A reply or stored value the store cannot use. The message never quotes the value. */
export class UnexpectedReplyError extends Error {
  override name = 'UnexpectedReplyError';
}

/** Metadata as stored in the `_meta` field: only the known properties, in a fixed order. */
export function encodeMeta(meta: SessionMeta): string {
  const stored: Record<string, unknown> = {
    createdAt: meta.createdAt,
    lastSeenAt: meta.lastSeenAt,
    permanent: meta.permanent,
  };
  if (meta.userId !== undefined) stored.userId = meta.userId;
  return JSON.stringify(stored);
}

/** Parses and checks a stored `_meta` value. */
export function decodeMeta(text: string): SessionMeta {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnexpectedReplyError('stored session metadata is not JSON');
  }
  if (typeof value !== 'object' || value === null) {
    throw new UnexpectedReplyError('stored session metadata is not an object');
  }
  const { createdAt, lastSeenAt, permanent, userId } = value as Record<string, unknown>;
  if (
    typeof createdAt !== 'number' ||
    !Number.isFinite(createdAt) ||
    typeof lastSeenAt !== 'number' ||
    !Number.isFinite(lastSeenAt) ||
    typeof permanent !== 'boolean' ||
    (userId !== undefined && typeof userId !== 'string')
  ) {
    throw new UnexpectedReplyError('stored session metadata has missing or mistyped properties');
  }
  return typeof userId === 'string'
    ? { createdAt, lastSeenAt, permanent, userId }
    : { createdAt, lastSeenAt, permanent };
}

/** The load script's reply (`field, value, …`, each marked) as a record, or `undefined`. */
export function decodeLoadReply(reply: unknown): SessionRecord | undefined {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) {
    throw new UnexpectedReplyError('the load reply is not a list of field/value pairs');
  }
  if (reply.length === 0) return undefined;
  const entries: Array<[string, string]> = [];
  let meta: SessionMeta | undefined;
  for (let i = 0; i < reply.length; i += 2) {
    const field = unmark(reply[i]);
    const value = unmark(reply[i + 1]);
    if (field === META_FIELD) meta = decodeMeta(value);
    else entries.push([field, value]);
  }
  if (meta === undefined) throw new UnexpectedReplyError('the stored session has no metadata');
  // fromEntries defines own properties: a field named `__proto__` cannot touch the prototype.
  return { meta, fields: Object.fromEntries(entries) };
}

function unmark(item: unknown): string {
  if (typeof item !== 'string' || !item.startsWith(REPLY_MARK)) {
    throw new UnexpectedReplyError('the load reply holds an unmarked or non-string item');
  }
  return item.slice(REPLY_MARK.length);
}

/** `ARGV` of the write script (see `WRITE_SCRIPT`). */
export function writeArgs(
  mode: 'create' | 'update',
  expiresAt: number,
  meta: SessionMeta,
  set: Readonly<Record<string, string>>,
  deleted: readonly string[],
): string[] {
  const args = [mode, expiryArg(expiresAt), encodeMeta(meta), '0'];
  let count = 0;
  for (const [field, value] of Object.entries(set)) {
    if (typeof value !== 'string') {
      throw new TypeError('every value of a patch must be a string');
    }
    checkField(field);
    args.push(field, value);
    count++;
  }
  args[3] = String(count);
  for (const field of deleted) {
    checkField(field);
    args.push(field);
  }
  return args;
}

/** Redis wants a whole number of milliseconds; rounding up never expires a session early. */
function expiryArg(expiresAt: number): string {
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new RangeError('expiresAt must be a finite number of epoch milliseconds');
  }
  return String(Math.ceil(expiresAt));
}

function checkField(field: string): void {
  if (field === META_FIELD) {
    throw new RangeError(`the field name \`${META_FIELD}\` is reserved for session metadata`);
  }
}
