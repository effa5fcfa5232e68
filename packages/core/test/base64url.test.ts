import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import {
  base64urlTextBytes,
  decodeBase64url,
  encodeBase64url,
  isBase64urlText,
} from '../src/base64url.js';

// Buffer is the reference here only: the core itself may not use it.
const reference = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const bytesOf = (length: number, seed: number): Uint8Array =>
  Uint8Array.from({ length }, (_, i) => (i * 151 + seed * 31 + 7) & 0xff);

describe('base64url', () => {
  it('encodes every length from 0 to 70 as RFC 4648 base64url without padding', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = bytesOf(length, length);
      expect(encodeBase64url(bytes)).toBe(reference(bytes));
    }
  });

  it('encodes inputs longer than one String.fromCharCode call takes (chunked)', () => {
    for (const length of [6143, 6144, 6145, 100_000]) {
      const bytes = bytesOf(length, 3);
      expect(encodeBase64url(bytes)).toBe(reference(bytes));
    }
  });

  it('decodes what it encodes, and refuses non-canonical or foreign text', () => {
    const bytes = bytesOf(32, 9);
    expect(decodeBase64url(encodeBase64url(bytes))).toEqual(bytes);
    expect(decodeBase64url('AA')).toEqual(new Uint8Array([0]));
    expect(decodeBase64url('AB')).toBeUndefined(); // leftover bits set: not canonical
    expect(decodeBase64url('A+B/')).toBeUndefined(); // base64, not base64url
    expect(decodeBase64url('A')).toBeUndefined();
  });

  it("gives base64url text's UTF-8 bytes without a TextEncoder", () => {
    const text = encodeBase64url(bytesOf(32, 1));
    expect(isBase64urlText(text)).toBe(true);
    expect(base64urlTextBytes(text)).toEqual(new TextEncoder().encode(text));
  });
});
