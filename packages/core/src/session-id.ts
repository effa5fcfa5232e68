import { encodeBase64url } from './base64url.js';

/** Bytes of randomness in a session ID (SECURITY.md S1: at least 128 bits; we use 256). */
export const SESSION_ID_BYTES = 32;
/** Length of a session ID in base64url characters. */
export const SESSION_ID_LENGTH = 43;

// Randomness is drawn in blocks: one `getRandomValues` call per 128 IDs instead of one per ID
// (the call costs a few microseconds on Node, dominated by fixed overhead). Every byte is used
// once.
const POOL_BYTES = SESSION_ID_BYTES * 128;
let pool = new Uint8Array(0);
let offset = 0;

/**
 * A new session ID: 256 bits from the platform CSPRNG, base64url, no structure (S1, S2).
 * `crypto.getRandomValues` is a global on Node 20, Bun, Deno and workerd alike.
 */
export function generateSessionId(): string {
  if (offset + SESSION_ID_BYTES > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  const id = encodeBase64url(pool.subarray(offset, offset + SESSION_ID_BYTES));
  offset += SESSION_ID_BYTES;
  return id;
}
