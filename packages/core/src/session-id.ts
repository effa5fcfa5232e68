import { encodeBase64url } from './base64url.js';

/** Bytes of randomness in a session ID (SECURITY.md S1: at least 128 bits; we use 256). */
export const SESSION_ID_BYTES = 32;
/** Length of a session ID in base64url characters. */
export const SESSION_ID_LENGTH = 43;

/**
 * A new session ID: 256 bits from the platform CSPRNG, base64url, no structure (S1, S2).
 * `crypto.getRandomValues` is a global on Node 20, Bun, Deno and workerd alike.
 */
export function generateSessionId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(SESSION_ID_BYTES)));
}
