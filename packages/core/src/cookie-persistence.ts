import type { SessionEvent } from './events.js';
import type { PersistedSession, Persistence, SessionChange } from './persistence.js';
import type { CookieSessionStore, SessionMeta } from './store.js';
import { callStore } from './store-call.js';

/** Stateless sessions have no store key; events carry this constant instead. */
const STATELESS_FINGERPRINT = 'stateless';

/**
 * Sessions sealed into the cookie by a {@link CookieSessionStore}. Every change re-seals the
 * whole record; destroying only clears the browser's copy (a stateless store cannot revoke).
 */
export class CookiePersistence implements Persistence {
  readonly cookieCarriesData = true;
  readonly #store: CookieSessionStore;
  readonly #emit: (event: SessionEvent) => void;

  constructor(store: CookieSessionStore, emit: (event: SessionEvent) => void) {
    this.#store = store;
    this.#emit = emit;
  }

  async load(cookieValue: string): Promise<PersistedSession | undefined> {
    const opened = await callStore(this.#store.name, 'load', undefined, this.#emit, () =>
      this.#store.unseal(cookieValue),
    );
    if (opened === undefined) {
      this.#emit({ type: 'invalid-cookie', reason: 'bad-signature' });
      return undefined;
    }
    return {
      cookieValue,
      meta: opened.record.meta,
      fields: opened.record.fields,
      fingerprint: STATELESS_FINGERPRINT,
      stale: opened.stale,
    };
  }

  async update(_session: PersistedSession, change: SessionChange): Promise<string> {
    return this.#seal(change.meta, change.fields(), change.expiresAt);
  }

  async currentValue(session: PersistedSession): Promise<string> {
    return session.cookieValue;
  }

  async create(
    meta: SessionMeta,
    fields: Record<string, string>,
    expiresAt: number,
  ): Promise<PersistedSession> {
    return {
      cookieValue: await this.#seal(meta, fields, expiresAt),
      meta,
      fields,
      fingerprint: STATELESS_FINGERPRINT,
      stale: false,
    };
  }

  async remove(): Promise<boolean> {
    // Nothing is stored: the expired cookie the commit sends is all there is to remove.
    return true;
  }

  #seal(meta: SessionMeta, fields: Record<string, string>, expiresAt: number): Promise<string> {
    return callStore(this.#store.name, 'write', undefined, this.#emit, () =>
      this.#store.seal({ meta, fields }, { expiresAt }),
    );
  }
}
