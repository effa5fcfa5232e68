// Base64url without padding (RFC 4648 section 5), written out because Node 20 has no
// Uint8Array.prototype.toBase64 and the core may not use Buffer.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
const CODES = Uint8Array.from(ALPHABET, (character) => character.charCodeAt(0));
/** Characters per `String.fromCharCode` call, well below every engine's argument limit. */
const MAX_ARGUMENTS = 8192;

export function encodeBase64url(bytes: Uint8Array): string {
  // Character codes first, one string at the end: concatenating 43 characters one by one
  // built a rope that every Map lookup then had to flatten (twice the time).
  const codes = new Array<number>(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    codes[o++] = CODES[n >>> 18] as number;
    codes[o++] = CODES[(n >>> 12) & 63] as number;
    codes[o++] = CODES[(n >>> 6) & 63] as number;
    codes[o++] = CODES[n & 63] as number;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    codes[o++] = CODES[n >>> 18] as number;
    codes[o++] = CODES[(n >>> 12) & 63] as number;
    if (rest === 2) codes[o++] = CODES[(n >>> 6) & 63] as number;
  }
  if (codes.length <= MAX_ARGUMENTS) return String.fromCharCode.apply(null, codes);
  let out = '';
  for (let start = 0; start < codes.length; start += MAX_ARGUMENTS) {
    out += String.fromCharCode.apply(null, codes.slice(start, start + MAX_ARGUMENTS));
  }
  return out;
}

/**
 * The bytes of base64url text: its UTF-8 encoding, one byte per character since the alphabet
 * is ASCII, without the cost of a `TextEncoder` call (IDs are encoded on every sign and verify).
 * Only for text that {@link isBase64urlText} accepts.
 */
export function base64urlTextBytes(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (LOOKUP[code] as number) : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding: several strings would decode to the
  // same bytes, and a signature must be bound to exactly one cookie string.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** True when every character of `text` is in the base64url alphabet. */
export function isBase64urlText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || (LOOKUP[code] as number) < 0) return false;
  }
  return true;
}
