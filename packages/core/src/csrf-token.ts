import { encodeBase64url } from './base64url.js';

/** Field of the session's CSRF token: its own prefix, so `keys()`, `all()` and `clear()` never see it. */
export const CSRF_FIELD = 'c:csrf';
/** 32 random bytes in base64url. */
const TOKEN_LENGTH = 43;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new synchronizer token: 256 random bits (OWASP CSRF cheat sheet). */
export function newCsrfToken(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Whether a stored value is a token this module issued (anything else is re-issued). */
export function isCsrfToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/**
 * Compares a presented token with the stored one in time independent of where they differ.
 * Anything that is not a string of the right length is refused without comparing.
 */
export function csrfTokensMatch(stored: string, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length !== TOKEN_LENGTH) return false;
  let difference = 0;
  for (let i = 0; i < TOKEN_LENGTH; i++) {
    difference |= stored.charCodeAt(i) ^ presented.charCodeAt(i);
  }
  return difference === 0;
}
