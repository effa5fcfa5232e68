import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { SessionConfigError, SessionNotSupportedError } from './errors.js';
import type { SessionEvent } from './events.js';
import { type AnySessionStore, isCookieSessionStore } from './store.js';
import { callStore } from './store-call.js';
import { isExpired } from './store-kit/expiry.js';

/** Options of {@link SessionTokens.seal}. */
export interface SealTokenOptions {
  /**
   * What the token is for (`'password-reset'`, `'verify-email'`, `'invite'`). A token sealed
   * for one purpose is refused (`reason: 'purpose'`) when opened for another.
   */
  purpose: string;
  /** Lifetime in seconds, from the manager's clock (`now`). */
  expiresIn: number;
  /**
   * Single use: the first successful {@link SessionTokens.open} consumes the token by writing
   * a marker record to the manager's store (`mode: 'create'`, keyed by a hash of the token's
   * random ID, expiring with the token); a second open answers `reason: 'used'`. Needs a
   * server-side store: with a cookie store `seal` throws {@link SessionNotSupportedError}.
   * A store that evicts records early (a bounded memory store, memcached) can forget a marker.
   * @default false
   */
  once?: boolean;
}

/** Options of {@link SessionTokens.open}. */
export interface OpenTokenOptions {
  /** The purpose the token must have been sealed for. */
  purpose: string;
  /**
   * For single-use tokens: check that the token is valid and unused without consuming it (a
   * GET showing the reset form; the POST that acts on it opens it without `peek`).
   * @default false
   */
  peek?: boolean;
}

/** Why a token was refused. `invalid` covers tampered, malformed and foreign tokens. */
export type TokenRefusal = 'expired' | 'invalid' | 'purpose' | 'used';

/** What {@link SessionTokens.open} found. */
export type OpenedToken<T> =
  | { readonly ok: true; readonly value: T; readonly expiresAt: number }
  | { readonly ok: false; readonly reason: TokenRefusal };

/**
 * Sealed, expiring tokens for things that are not the session: password-reset and
 * email-verification links, magic links, invitation codes.
 *
 * Tokens are **encrypted**, not only signed: AES-256-GCM with a key derived (HKDF-SHA256) from
 * each of the manager's `secrets`, so the payload (an email address, a user ID) is confidential
 * and tamper-proof. The newest secret seals; every secret opens (rotation). The token is
 * base64url text, safe in a URL or a form field. Bad tokens never throw: `open` answers
 * `{ ok: false, reason }`. Only a store failure while consuming a single-use token throws
 * ({@link SessionStoreError}).
 *
 * @example
 * ```ts
 * const token = await sessions.tokens.seal({ userId }, { purpose: 'password-reset', expiresIn: 900, once: true });
 * // … later, from the link:
 * const opened = await sessions.tokens.open<{ userId: string }>(token, { purpose: 'password-reset' });
 * if (!opened.ok) return new Response(`link ${opened.reason}`, { status: 400 }); // expired | invalid | purpose | used
 * opened.value.userId;
 * ```
 */
export interface SessionTokens {
  /** Seals a JSON value into a token. Throws `TypeError` for a bad purpose, lifetime or value. */
  seal(value: unknown, options: SealTokenOptions): Promise<string>;
  /** Opens a token: its value, or why it is refused. Never throws for a bad token. */
  open<T = unknown>(token: unknown, options: OpenTokenOptions): Promise<OpenedToken<T>>;
}

/** What the tokens need from their manager. */
export interface TokenContext {
  readonly secrets: readonly Uint8Array<ArrayBuffer>[] | undefined;
  readonly store: AnySessionStore;
  readonly keyPrefix: string;
  now(): number;
  emit(event: SessionEvent): void;
}

const VERSION = 't1.';
const IV_LENGTH = 12;
/** Longer tokens are refused before any crypto: a reset link is never this large. */
const MAX_TOKEN_LENGTH = 8192;
const ID_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HKDF_SALT = encoder.encode('fetch-session/tokens');
const HKDF_INFO = encoder.encode('AES-256-GCM v1');

interface Payload {
  /** purpose */ p: string;
  /** expires at, epoch ms */ e: number;
  /** random ID, base64url */ i: string;
  /** single use */ o?: 1;
  /** the value */ v: unknown;
}

/** Creates the manager's {@link SessionTokens}. */
export function createSessionTokens(context: TokenContext): SessionTokens {
  const keys: Array<Promise<CryptoKey>> | undefined = context.secrets?.map(deriveKey);
  const requireKeys = (): Array<Promise<CryptoKey>> => {
    if (keys === undefined) {
      throw new SessionConfigError(
        'secrets',
        'is needed for sealed tokens; a cookie store without `secrets` cannot seal them',
      );
    }
    return keys;
  };
  const serverStore = () => {
    const store = context.store;
    if (isCookieSessionStore(store)) {
      throw new SessionNotSupportedError(
        'single-use tokens need a server-side store; a cookie store cannot remember a used token',
      );
    }
    return store;
  };
  const markerKey = (id: string) =>
    `${context.keyPrefix}used:${encodeBase64url(sha256(encoder.encode(id)))}`;

  return {
    async seal(value, options) {
      const [key] = requireKeys();
      checkPurpose(options?.purpose);
      const { expiresIn, once } = options;
      if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
        throw new TypeError('[fetch-session] tokens.seal() needs expiresIn: seconds, above 0');
      }
      if (once === true) serverStore();
      const payload: Payload = {
        p: options.purpose,
        e: context.now() + Math.round(expiresIn * 1000),
        i: encodeBase64url(crypto.getRandomValues(new Uint8Array(ID_BYTES))),
        ...(once === true && { o: 1 as const }),
        v: value,
      };
      const text = JSON.stringify(payload);
      if (!('v' in JSON.parse(text))) {
        throw new TypeError('[fetch-session] tokens.seal() takes a JSON value');
      }
      const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
      const sealed = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv },
          await (key as Promise<CryptoKey>),
          encoder.encode(text),
        ),
      );
      const bytes = new Uint8Array(IV_LENGTH + sealed.length);
      bytes.set(iv);
      bytes.set(sealed, IV_LENGTH);
      return VERSION + encodeBase64url(bytes);
    },

    async open<T>(token: unknown, options: OpenTokenOptions): Promise<OpenedToken<T>> {
      const candidates = requireKeys();
      checkPurpose(options?.purpose);
      const payload = await decrypt(token, candidates);
      if (payload === undefined) return refused('invalid');
      if (payload.p !== options.purpose) return refused('purpose');
      const now = context.now();
      if (isExpired(payload.e, now)) return refused('expired');
      if (payload.o === 1) {
        const store = serverStore();
        const key = markerKey(payload.i);
        const emit = context.emit;
        if (options.peek === true) {
          const marker = await callStore(store.name, 'load', undefined, emit, () =>
            store.load(key),
          );
          if (marker !== undefined) return refused('used');
        } else {
          const meta = { createdAt: now, lastSeenAt: now, permanent: false };
          const outcome = await callStore(store.name, 'write', undefined, emit, () =>
            store.write(
              key,
              { meta, set: {}, delete: [] },
              { mode: 'create', expiresAt: payload.e },
            ),
          );
          if (outcome === 'conflict') return refused('used');
        }
      }
      return { ok: true, value: payload.v as T, expiresAt: payload.e };
    },
  };
}

function refused(reason: TokenRefusal): { ok: false; reason: TokenRefusal } {
  return { ok: false, reason };
}

function checkPurpose(purpose: unknown): void {
  if (typeof purpose !== 'string' || purpose.length === 0) {
    throw new TypeError('[fetch-session] sealed tokens need a purpose: a non-empty string');
  }
}

async function deriveKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The payload, or `undefined` for anything not sealed by one of `keys` (never throws). */
async function decrypt(
  token: unknown,
  keys: ReadonlyArray<Promise<CryptoKey>>,
): Promise<Payload | undefined> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !token.startsWith(VERSION)) {
    return undefined;
  }
  const bytes = decodeBase64url(token.slice(VERSION.length));
  if (bytes === undefined || bytes.length < IV_LENGTH + 16) return undefined;
  const iv = bytes.slice(0, IV_LENGTH);
  const sealed = bytes.slice(IV_LENGTH);
  for (const key of keys) {
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await key, sealed);
    } catch {
      continue; // another secret's token, or tampered
    }
    return parsePayload(decoder.decode(plain));
  }
  return undefined;
}

function parsePayload(text: string): Payload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { p, e, i, o } = value as Record<string, unknown>;
  if (
    typeof p !== 'string' ||
    typeof e !== 'number' ||
    !Number.isFinite(e) ||
    typeof i !== 'string'
  ) {
    return undefined;
  }
  if (o !== undefined && o !== 1) return undefined;
  return value as Payload;
}
