/**
 * Turns store calls into script arguments and script replies into records. Nothing here
 * talks to the network; errors name what was wrong, never the key or the data (S24).
 * @module
 */
import type { SessionMeta, SessionRecord, UserSessionEntry } from '@fetch-session/core';
import { decodeMeta, encodeMeta, StoredDataError } from '@fetch-session/core/store-kit';
import { COVERED_FIELD, META_FIELD, REPLY_MARK, USER_FIELD } from './scripts.js';

/** A reply or stored value the store cannot use. The message never quotes the value. */
export class UnexpectedReplyError extends Error {
  override name = 'UnexpectedReplyError';
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
    else if (field !== USER_FIELD && field !== COVERED_FIELD) entries.push([field, value]);
  }
  if (meta === undefined) throw new StoredDataError('the stored session has no metadata');
  // fromEntries defines own properties: a field named `__proto__` cannot touch the prototype.
  return { meta, fields: Object.fromEntries(entries) };
}

/**
 * The list script's reply (`key, meta, …`, each marked) as index entries. Entries whose
 * metadata names another user (only possible through a foreign write) are left out.
 */
export function decodeListReply(reply: unknown, userId: string): UserSessionEntry[] {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) {
    throw new UnexpectedReplyError('the list reply is not a list of key/metadata pairs');
  }
  const entries: UserSessionEntry[] = [];
  for (let i = 0; i < reply.length; i += 2) {
    const key = unmark(reply[i], 'list');
    const meta = decodeMeta(unmark(reply[i + 1], 'list'));
    if (meta.userId === userId) entries.push({ key, meta });
  }
  return entries;
}

/**
 * The key of a user's index: `<keyPrefix>user:` and the user ID as base64url of its UTF-8
 * (a lone surrogate encodes as U+FFFD; the core compares `meta.userId` itself anyway).
 */
export function userIndexKey(keyPrefix: string, userId: string): string {
  if (typeof userId !== 'string') throw new TypeError('a user ID must be a string');
  let binary = '';
  for (const byte of new TextEncoder().encode(userId)) binary += String.fromCharCode(byte);
  const base64url = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${keyPrefix}user:${base64url}`;
}

/** A marked reply item without its mark; `reply` names the script for the error. */
export function unmark(item: unknown, reply = 'load'): string {
  if (typeof item !== 'string' || !item.startsWith(REPLY_MARK)) {
    throw new UnexpectedReplyError(`the ${reply} reply holds an unmarked or non-string item`);
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
export function expiryArg(expiresAt: number): string {
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new RangeError('expiresAt must be a finite number of epoch milliseconds');
  }
  return String(Math.ceil(expiresAt));
}

function checkField(field: string): void {
  if (field === META_FIELD || field === USER_FIELD || field === COVERED_FIELD) {
    throw new RangeError(`the field name \`${field}\` is reserved for session metadata`);
  }
}
