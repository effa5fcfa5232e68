import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64url, encodeBase64url, isBase64urlText } from './base64url.js';
import { SESSION_ID_LENGTH } from './session-id.js';

const MAC_LENGTH = 43; // 32-byte HMAC-SHA256 in base64url
/** Length of a signed cookie value: `<id>.<mac>`. */
const SIGNED_VALUE_LENGTH: number = SESSION_ID_LENGTH + 1 + MAC_LENGTH;

const encoder = new TextEncoder();

/** The result of checking a signed cookie value. */
export interface VerifiedId {
  readonly id: string;
  /** Index in `secrets` of the secret that verified it; above 0 means "re-sign with the newest". */
  readonly secretIndex: number;
}

/**
 * Signs and verifies session IDs with HMAC-SHA256 (S27). The first secret signs, every secret
 * verifies, and the purpose string is part of the MAC so a value signed for another purpose
 * with the same secret is refused (next-auth CVE-2023-48309).
 */
export class IdSigner {
  readonly #secrets: readonly Uint8Array<ArrayBuffer>[];
  readonly #purpose: string;
  // Importing a key costs about as much as a MAC; do it once per secret, on first use.
  readonly #keys: Array<Promise<CryptoKey> | undefined> = [];

  constructor(secrets: readonly Uint8Array<ArrayBuffer>[], purpose: string) {
    this.#secrets = secrets;
    this.#purpose = purpose;
  }

  async sign(id: string): Promise<string> {
    const key = await this.#key(0);
    const mac = await crypto.subtle.sign('HMAC', key, this.#macInput(id));
    return `${id}.${encodeBase64url(new Uint8Array(mac))}`;
  }

  /**
   * Verifies a cookie value. Cheap checks first: anything that is not exactly `<43>.<43>`
   * base64url is refused without touching Web Crypto. `crypto.subtle.verify` compares in
   * constant time.
   */
  verify(value: string): Promise<VerifiedId | undefined> {
    return hasSignedShape(value) ? this.verifySignedShape(value) : Promise.resolve(undefined);
  }

  /**
   * {@link verify} for a value already known to pass {@link hasSignedShape}: callers that
   * check the shape themselves (to report a malformed cookie apart from a bad signature) do not
   * pay for the check twice.
   */
  async verifySignedShape(value: string): Promise<VerifiedId | undefined> {
    const id = value.slice(0, SESSION_ID_LENGTH);
    const mac = decodeBase64url(value.slice(SESSION_ID_LENGTH + 1));
    if (mac === undefined || mac.length !== 32) return undefined;
    const data = this.#macInput(id);
    for (let i = 0; i < this.#secrets.length; i++) {
      const key = await this.#key(i);
      if (await crypto.subtle.verify('HMAC', key, mac, data)) return { id, secretIndex: i };
    }
    return undefined;
  }

  #macInput(id: string): Uint8Array<ArrayBuffer> {
    return encoder.encode(`${this.#purpose}\u0000${id}`);
  }

  #key(index: number): Promise<CryptoKey> {
    let key = this.#keys[index];
    if (key === undefined) {
      key = crypto.subtle.importKey(
        'raw',
        this.#secrets[index] as Uint8Array<ArrayBuffer>,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign', 'verify'],
      );
      this.#keys[index] = key;
    }
    return key;
  }
}

/** `<43 base64url>.<43 base64url>` and nothing else: no padding, no whitespace, no extras. */
export function hasSignedShape(value: string): boolean {
  return (
    value.length === SIGNED_VALUE_LENGTH &&
    value.charCodeAt(SESSION_ID_LENGTH) === 0x2e &&
    isBase64urlText(value.slice(0, SESSION_ID_LENGTH)) &&
    isBase64urlText(value.slice(SESSION_ID_LENGTH + 1))
  );
}

/**
 * The store key for an ID: prefix + SHA-256 of the ID, base64url (S28). A dump of the store
 * therefore holds no usable bearer token (Rack CVE-2019-16782).
 *
 * Synchronous, with `@noble/hashes`: one block of SHA-256 takes ~2 µs in JavaScript, while a
 * Web Crypto digest costs ~15 µs on Node 20 (a thread-pool round trip), on every new visitor.
 */
export function deriveStoreKey(prefix: string, id: string): string {
  return prefix + encodeBase64url(sha256(encoder.encode(id)));
}
