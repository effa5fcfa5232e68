import { createHash } from 'node:crypto';

/**
 * The store key the core derives for a session cookie (`sid=<id>.<mac>`): the key prefix plus
 * the SHA-256 of the ID in base64url (S28). Lets tests look at the hash in Redis directly.
 */
export function storeKeyOf(cookie: string, prefix = 'sess:'): string {
  const value = cookie.slice(cookie.indexOf('=') + 1);
  const id = value.slice(0, value.indexOf('.'));
  return prefix + createHash('sha256').update(id).digest('base64url');
}

/** The key of a user's index: `<prefix>user:` + the user ID as base64url of its UTF-8. */
export function userIndexKeyOf(userId: string, prefix = 'sess:'): string {
  return `${prefix}user:${Buffer.from(userId, 'utf8').toString('base64url')}`;
}
