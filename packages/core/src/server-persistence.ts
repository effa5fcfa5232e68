import { SessionStoreError, type SessionStoreOperation } from './errors.js';
import { fingerprintStoreKey, type SessionEvent } from './events.js';
import type { PersistedSession, Persistence, SessionChange } from './persistence.js';
import { generateSessionId } from './session-id.js';
import { deriveStoreKey, hasSignedShape, type IdSigner } from './signer.js';
import type { SessionMeta, SessionStore } from './store.js';
import { callStore } from './store-call.js';
import { type VerifiedCookie, VerifiedCookieCache } from './verified-cookie-cache.js';

interface ServerSession extends PersistedSession {
  readonly verified: VerifiedCookie;
}

/**
 * Sessions in a server-side store, addressed by a signed ID in the cookie and a hashed store
 * key (S27, S28). Bad cookies are refused before any store call (S11); verified cookie
 * strings are cached so repeat visitors cost no crypto.
 */
export class ServerPersistence implements Persistence {
  readonly cookieCarriesData = false;
  readonly #store: SessionStore;
  readonly #signer: IdSigner;
  readonly #keyPrefix: string;
  readonly #emit: (event: SessionEvent) => void;
  readonly #cache: VerifiedCookieCache;

  constructor(options: {
    store: SessionStore;
    signer: IdSigner;
    keyPrefix: string;
    cacheSize: number;
    emit: (event: SessionEvent) => void;
  }) {
    this.#store = options.store;
    this.#signer = options.signer;
    this.#keyPrefix = options.keyPrefix;
    this.#emit = options.emit;
    this.#cache = new VerifiedCookieCache(options.cacheSize);
  }

  async load(cookieValue: string): Promise<ServerSession | undefined> {
    let verified = this.#cache.get(cookieValue);
    if (verified === undefined) {
      if (!hasSignedShape(cookieValue)) {
        this.#emit({ type: 'invalid-cookie', reason: 'malformed' });
        return undefined;
      }
      const checked = await this.#signer.verifySignedShape(cookieValue);
      if (checked === undefined) {
        this.#emit({ type: 'invalid-cookie', reason: 'bad-signature' });
        return undefined;
      }
      const storeKey = deriveStoreKey(this.#keyPrefix, checked.id);
      verified = { id: checked.id, storeKey, secretIndex: checked.secretIndex };
      this.#cache.set(cookieValue, verified);
    }
    const { storeKey } = verified;
    const fingerprint = fingerprintStoreKey(storeKey);
    const record = await this.#call('load', fingerprint, () => this.#store.load(storeKey));
    if (record === undefined) {
      // Never adopt an ID the store does not know (S10): a write will mint a fresh one.
      this.#cache.delete(cookieValue);
      this.#emit({ type: 'unknown-session', session: fingerprint });
      return undefined;
    }
    return {
      cookieValue,
      verified,
      meta: record.meta,
      fields: record.fields,
      fingerprint,
      stale: verified.secretIndex > 0,
      handle: record.meta.origin ?? storeKey.slice(this.#keyPrefix.length),
    };
  }

  async update(session: ServerSession, change: SessionChange): Promise<string | 'gone'> {
    const key = session.verified.storeKey;
    const { meta, expiresAt } = change;
    const store = this.#store;
    const { touch } = store;
    const touchOnly = !change.fieldsChanged && touch !== undefined;
    const outcome = await this.#call(touchOnly ? 'touch' : 'write', session.fingerprint, () =>
      touchOnly
        ? touch.call(store, key, meta, { expiresAt })
        : store.write(
            key,
            { meta, set: change.set, delete: change.deleted },
            { mode: 'update', expiresAt },
          ),
    );
    if (outcome === 'conflict') {
      this.#cache.delete(session.cookieValue);
      return 'gone';
    }
    return this.currentValue(session);
  }

  async currentValue(session: ServerSession): Promise<string> {
    const { verified } = session;
    if (verified.secretIndex === 0) return session.cookieValue;
    const value = await this.#signer.sign(verified.id);
    this.#cache.delete(session.cookieValue);
    this.#cache.set(value, { ...verified, secretIndex: 0 });
    return value;
  }

  async create(
    meta: SessionMeta,
    fields: Record<string, string>,
    expiresAt: number,
  ): Promise<ServerSession> {
    const id = generateSessionId();
    const cookieValue = await this.#signer.sign(id);
    const storeKey = deriveStoreKey(this.#keyPrefix, id);
    const fingerprint = fingerprintStoreKey(storeKey);
    const handle = meta.origin ?? storeKey.slice(this.#keyPrefix.length);
    const stored: SessionMeta = { ...meta, origin: handle };
    const outcome = await this.#call('write', fingerprint, () =>
      this.#store.write(
        storeKey,
        { meta: stored, set: fields, delete: [] },
        { mode: 'create', expiresAt },
      ),
    );
    if (outcome === 'conflict') {
      // 256 random bits do not collide; a store answering "exists" for a new key is broken.
      throw new SessionStoreError(this.#store.name, 'write', {
        cause: new Error('store reported a new session key as existing'),
      });
    }
    const verified = { id, storeKey, secretIndex: 0 };
    this.#cache.set(cookieValue, verified);
    return { cookieValue, verified, meta: stored, fields, fingerprint, stale: false, handle };
  }

  async remove(session: ServerSession): Promise<boolean> {
    const key = session.verified.storeKey;
    this.#cache.delete(session.cookieValue);
    const existed = await this.#call('delete', session.fingerprint, () => this.#store.delete(key));
    return existed !== false;
  }

  #call<T>(
    operation: SessionStoreOperation,
    fingerprint: string,
    call: () => Promise<T>,
  ): Promise<T> {
    return callStore(this.#store.name, operation, fingerprint, this.#emit, call);
  }
}
