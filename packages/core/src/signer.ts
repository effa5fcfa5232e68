import { sha256 } from '@noble/hashes/sha2.js';
import {
  base64urlTextBytes,
  decodeBase64url,
  encodeBase64url,
  isBase64urlText,
} from './base64url.js';
import {
  createPrefixedHmac,
  type HmacImplementation,
  macsEqual,
  type PrefixedHmac,
  preferredHmacImplementation,
} from './hmac-sha256.js';
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

/** How an {@link IdSigner} computes its MACs. */
export interface IdSignerOptions {
  /** @default preferredHmacImplementation() (Web Crypto on workerd, JavaScript elsewhere) */
  readonly hmac?: HmacImplementation;
}

/**
 * Signs and verifies session IDs with HMAC-SHA256 (S27). The first secret signs, every secret
 * verifies, and the purpose string is part of the MAC so a value signed for another purpose
 * with the same secret is refused (next-auth CVE-2023-48309).
 *
 * Work per cookie is bounded (decision 0010): a value of the wrong shape costs no MAC, a
 * forged one costs exactly one pre-keyed MAC per secret (with 3 secrets about 18 µs on
 * Node 20, 17 µs on workerd) and nothing else, no store call, no digest.
 */
export class IdSigner {
  readonly #hmac: PrefixedHmac;
  readonly #secretCount: number;

  constructor(
    secrets: readonly Uint8Array<ArrayBuffer>[],
    purpose: string,
    options: IdSignerOptions = {},
  ) {
    this.#secretCount = secrets.length;
    this.#hmac = createPrefixedHmac(
      secrets,
      encoder.encode(`${purpose}\u0000`),
      options.hmac ?? preferredHmacImplementation(),
    );
  }

  async sign(id: string): Promise<string> {
    const mac = await this.#hmac.mac(0, base64urlTextBytes(id));
    return `${id}.${encodeBase64url(mac)}`;
  }

  /**
   * Verifies a cookie value. Cheap checks first: anything that is not exactly `<43>.<43>`
   * base64url is refused without a MAC. The MAC is compared in constant time against each
   * secret's in turn.
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
    const message = base64urlTextBytes(id);
    for (let i = 0; i < this.#secretCount; i++) {
      const expected = this.#hmac.mac(i, message);
      // The JavaScript HMAC is synchronous: no await, so no microtask hop per secret.
      if (macsEqual(expected instanceof Promise ? await expected : expected, mac)) {
        return { id, secretIndex: i };
      }
    }
    return undefined;
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
  return prefix + encodeBase64url(sha256(base64urlTextBytes(id)));
}
