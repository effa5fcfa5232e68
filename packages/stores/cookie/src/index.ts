/**
 * A stateless session store: the session is encrypted into the cookie (JWE, `dir` +
 * `A256GCM`, with `jose`), nothing is kept on the server.
 *
 * Choose it when you have no server-side storage and the session is small. It cannot revoke a
 * session before it expires: logging out clears the browser's copy, but a copy of the old
 * cookie keeps working until its expiry (iron-session #530). When that matters, use a
 * server-side store (`@fetch-session/memory`, `@fetch-session/upstash`,
 * `@fetch-session/cloudflare-kv`).
 * @module
 */
import {
  type CookieSessionStore,
  resolveSecrets,
  type SessionRecord,
  type UnsealedSession,
} from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { metaObject, parseFields, parseMeta, StoredDataError } from '@fetch-session/core/store-kit';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';

/** Options of {@link cookieStore}. */
export interface CookieStoreOptions {
  /**
   * Secrets the encryption keys are derived from (HKDF-SHA-256), each at least 32 bytes. An
   * ordered list for rotation: the first seals, every one opens, and a cookie an older one
   * opened is re-sealed with the first on its next response.
   */
  secrets: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Clock in epoch milliseconds, for the token's `exp`. Share the manager's in tests. @default Date.now */
  now?: () => number;
}

interface SealingKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

const encoder = new TextEncoder();
const ENCRYPTION_INFO = encoder.encode('fetch-session cookie store v1: A256GCM key');
const KEY_ID_INFO = encoder.encode('fetch-session cookie store v1: key id');

/**
 * Creates the encrypted-cookie store. Pass it as `store`; the manager needs no `secrets` then.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { cookieStore } from '@fetch-session/cookie';
 *
 * const sessions = createSessionManager<{ theme: string }>({
 *   store: cookieStore({ secrets: [env.COOKIE_SECRET_NEW, env.COOKIE_SECRET_OLD] }),
 *   idleTimeout: 3600,
 * });
 * ```
 */
export function cookieStore(options: CookieStoreOptions): CookieSessionStore {
  if (options === null || typeof options !== 'object') {
    throw new SessionConfigError('options', 'must be an object');
  }
  const secrets = resolveSecrets(options.secrets);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new SessionConfigError('now', 'must be a function');
  // Deriving keys is async; do it once, on first use, and share the result.
  let keys: Promise<SealingKey[]> | undefined;
  const sealingKeys = (): Promise<SealingKey[]> => {
    keys ??= Promise.all(secrets.map(deriveKey));
    return keys;
  };

  return {
    name: 'cookie',
    kind: 'cookie',
    async seal(
      record: SessionRecord,
      { expiresAt }: { readonly expiresAt: number },
    ): Promise<string> {
      const [newest] = await sealingKeys();
      const { kid, key } = newest as SealingKey;
      return new EncryptJWT({ m: metaObject(record.meta), f: record.fields })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
        .setExpirationTime(Math.ceil(expiresAt / 1000))
        .encrypt(key);
    },
    async unseal(value: string): Promise<UnsealedSession | undefined> {
      const all = await sealingKeys();
      let kidUsed: string | undefined;
      try {
        const { payload } = await jwtDecrypt(
          value,
          (header) => {
            const found = all.find((candidate) => candidate.kid === header.kid);
            if (found === undefined) throw new errors.JWEDecryptionFailed();
            kidUsed = found.kid;
            return found.key;
          },
          {
            keyManagementAlgorithms: ['dir'],
            contentEncryptionAlgorithms: ['A256GCM'],
            currentDate: new Date(now()),
          },
        );
        const record = toRecord(payload.m, payload.f);
        if (record === undefined) return undefined;
        return { record, stale: kidUsed !== all[0]?.kid };
      } catch (error) {
        // Tampered, truncated, foreign, unknown key, expired or malformed: all mean "no session".
        if (error instanceof errors.JOSEError || error instanceof TypeError) return undefined;
        throw error;
      }
    },
  };
}

async function deriveKey(secret: Uint8Array<ArrayBuffer>): Promise<SealingKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const derive = async (info: Uint8Array<ArrayBuffer>, bits: number) =>
    new Uint8Array(
      await crypto.subtle.deriveBits(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
        material,
        bits,
      ),
    );
  const [key, kidBytes] = await Promise.all([
    derive(ENCRYPTION_INFO, 256),
    derive(KEY_ID_INFO, 48),
  ]);
  // The key ID is derived separately from the key, so it reveals nothing about it.
  return { key, kid: toBase64url(kidBytes) };
}

function toBase64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/**
 * Checks the decrypted payload's shape with the store kit, by the same rules as every store: a
 * sealed token is trusted data, but only of this form. Anything else is "no session".
 */
function toRecord(meta: unknown, fields: unknown): SessionRecord | undefined {
  try {
    return { meta: parseMeta(meta), fields: parseFields(fields) };
  } catch (error) {
    if (error instanceof StoredDataError) return undefined;
    throw error;
  }
}
