import type { SessionCookie } from './cookie-settings.js';
import { CSRF_FIELD, csrfTokensMatch, isCsrfToken, newCsrfToken } from './csrf-token.js';
import { deviceLabel } from './device-label.js';
import { SessionReadOnlyError, SessionStateError } from './errors.js';
import type { SessionEvent } from './events.js';
import { cookieMaxAge, expiredBy, sessionExpiresAt } from './expiry-rules.js';
import type { ResolvedOptions } from './options.js';
import type { PersistedSession, Persistence } from './persistence.js';
import { cookieForRequest, type RequestCookieOptions } from './request-cookie.js';
import type {
  DestroyOptions,
  Session,
  SessionCommit,
  SessionKey,
  SessionTimes,
} from './session.js';
import { DATA_FIELD as DATA, FLASH_FIELD as FLASH, SessionFields } from './session-fields.js';
import { type SessionInput, userAgentOf } from './session-input.js';
import type { SessionWriteMethod } from './session-methods.js';
import type { SessionDataSchema } from './session-schema.js';
import { readSessionToken } from './session-transport.js';
import type { SessionMeta } from './store.js';

// Moved to the public types; kept here for modules that still import it from this file.
export type { SessionCommit } from './session.js';

/** How a session is opened (see `OpenSessionOptions`, the public form). */
export interface SessionOpenSettings {
  readonly onAccess?: (() => void) | undefined;
  readonly url?: string | URL | undefined;
  readonly readOnly?: boolean | undefined;
  readonly readOnlyError?: ((operation: SessionWriteMethod) => Error) | undefined;
  readonly cookie?: RequestCookieOptions | undefined;
}

/** What one request's session needs from its manager. */
export interface SessionContext extends ResolvedOptions {
  readonly persistence: Persistence;
  emit(event: SessionEvent): void;
  /** Checks once per manager that a `Secure` cookie can reach the browser over this request. */
  checkTransport(input: SessionInput, url: string | URL | undefined): void;
  /** A commit stored a session newly bound to `userId`: enforce the per-user cap (H7). */
  userBound?(userId: string, handle: string | undefined): Promise<unknown>;
}

const UNTOUCHED: SessionCommit = Object.freeze({
  setCookie: undefined,
  vary: false,
  changed: false,
  private: false,
});
const READ_ONLY: SessionCommit = Object.freeze({
  setCookie: undefined,
  vary: true,
  changed: false,
  private: false,
});
const WRITTEN: SessionCommit = Object.freeze({
  setCookie: undefined,
  vary: true,
  changed: true,
  private: false,
});
const STORED_READ: SessionCommit = Object.freeze({ ...READ_ONLY, private: true });
const STORED_WRITTEN: SessionCommit = Object.freeze({ ...WRITTEN, private: true });

/**
 * One request's session. Loads on first use; `commit()` turns what the handler did into at
 * most one store write (plus a delete on regenerate) and at most one `Set-Cookie`.
 */
export class SessionState<Data extends object, Flash extends object>
  implements Session<Data, Flash>
{
  readonly #context: SessionContext;
  readonly #input: SessionInput;
  readonly #onAccess: (() => void) | undefined;
  readonly #url: string | URL | undefined;
  /** The manager's cookie, or this request's (per-request options, `secure: 'auto'`). */
  readonly #cookie: SessionCookie;
  /** Set for read-only sessions: builds the error every write method rejects with. */
  readonly #refuseWrite: ((operation: SessionWriteMethod) => Error) | undefined;
  #loading: Promise<void> | undefined;
  /** A session method was called: the response depends on the cookie. */
  #used = false;
  #committed = false;

  #existing: PersistedSession | undefined;
  readonly #fields: SessionFields;
  #permanent: boolean;
  /** The user and device label to store in `meta` (`bindUser`). */
  #userId: string | undefined;
  #device: string | undefined;
  /** When the user last authenticated (`bindUser`, `markAuthenticated`), kept in `meta`. */
  #authenticatedAt: number | undefined;
  #regenerate = false;
  /** The signed ID the commit hands out (`''` when it ends the session), for header transports. */
  #issued: string | undefined;
  /** The request's cookie pointed at a session this request destroyed. */
  #destroyed = false;
  /** `destroy({ clearSiteData: true })`: the response clears the browser's site data (S23). */
  #clearSiteData = false;

  constructor(context: SessionContext, input: SessionInput, settings: SessionOpenSettings = {}) {
    this.#context = context;
    this.#input = input;
    this.#onAccess = settings.onAccess;
    this.#url = settings.url;
    this.#cookie = cookieForRequest(context, input, settings.url, settings.cookie);
    if (settings.readOnly === true) {
      this.#refuseWrite =
        settings.readOnlyError ?? ((operation) => new SessionReadOnlyError(operation));
    }
    this.#permanent = context.permanent;
    this.#fields = new SessionFields(context.serializer, (key) =>
      context.emit({ type: 'corrupt-data', session: this.#existing?.fingerprint ?? '', key }),
    );
  }

  async get<K extends SessionKey<Data>>(key: K): Promise<Data[K] | undefined> {
    await this.#ready();
    return this.#fields.read(DATA + key) as Data[K] | undefined;
  }

  async set<K extends SessionKey<Data>>(key: K, value: Data[K] | undefined): Promise<void> {
    await this.#writable('set');
    this.#fields.assign(DATA + key, value);
  }

  async delete(key: SessionKey<Data>): Promise<void> {
    await this.#writable('delete');
    this.#fields.assign(DATA + key, undefined);
  }

  async has(key: SessionKey<Data>): Promise<boolean> {
    await this.#ready();
    return this.#fields.has(DATA + key);
  }

  async keys(): Promise<Array<SessionKey<Data>>> {
    await this.#ready();
    return this.#fields.dataFields().map((field) => field.slice(DATA.length) as SessionKey<Data>);
  }

  async all(): Promise<Partial<Data>> {
    await this.#ready();
    const data: Record<string, unknown> = {};
    for (const field of this.#fields.dataFields()) {
      Object.defineProperty(data, field.slice(DATA.length), {
        value: this.#fields.read(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return data as Partial<Data>;
  }

  async clear(): Promise<void> {
    await this.#writable('clear');
    for (const field of this.#fields.dataFields()) this.#fields.assign(field, undefined);
  }

  async flash<K extends SessionKey<Flash>>(key: K, value: Flash[K]): Promise<void> {
    await this.#writable('flash');
    this.#fields.assign(FLASH + key, value);
  }

  async peekFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined> {
    await this.#ready();
    return this.#fields.read(FLASH + key) as Flash[K] | undefined;
  }

  async takeFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined> {
    await this.#writable('takeFlash');
    const field = FLASH + key;
    const value = this.#fields.read(field);
    if (value !== undefined) this.#fields.assign(field, undefined);
    return value as Flash[K] | undefined;
  }

  async regenerate(): Promise<void> {
    await this.#writable('regenerate');
    this.#regenerate = true;
    // A token seen under the old ID must not outlive it (like the ID itself, S13).
    this.#fields.assign(CSRF_FIELD, undefined);
  }

  async csrfToken(): Promise<string> {
    await this.#writable('csrfToken');
    const stored = this.#fields.read(CSRF_FIELD);
    if (isCsrfToken(stored)) return stored;
    const token = newCsrfToken();
    this.#fields.assign(CSRF_FIELD, token);
    return token;
  }

  async verifyCsrfToken(token: unknown): Promise<boolean> {
    await this.#ready();
    const stored = this.#fields.read(CSRF_FIELD);
    return isCsrfToken(stored) && csrfTokensMatch(stored, token);
  }

  async destroy(options: DestroyOptions = {}): Promise<void> {
    await this.#writable('destroy');
    if (options.clearSiteData === true) this.#clearSiteData = true;
    const existing = this.#existing;
    if (existing !== undefined) {
      await this.#context.persistence.remove(existing);
      this.#context.emit({ type: 'destroyed', session: existing.fingerprint });
      this.#destroyed = true;
    }
    this.#existing = undefined;
    this.#fields.reset();
    this.#regenerate = false;
    this.#permanent = this.#context.permanent;
    this.#userId = undefined;
    this.#device = undefined;
    this.#authenticatedAt = undefined;
  }

  async bindUser(userId: string, options: { device?: string } = {}): Promise<void> {
    this.#refuseIfReadOnly('bindUser');
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
      throw new TypeError('[fetch-session] bindUser() takes a user ID of 1 to 256 characters');
    }
    await this.#writable('bindUser');
    this.#userId = userId;
    this.#authenticatedAt = this.#context.now();
    // Capped: it is display text, stored in every record and index entry of the session.
    this.#device = (options.device ?? deviceLabel(userAgentOf(this.#input)) ?? this.#device)?.slice(
      0,
      128,
    );
  }

  async userId(): Promise<string | undefined> {
    await this.#ready();
    return this.#userId;
  }

  /** The handle naming this session in per-user lists; `undefined` until it is stored. */
  async handle(): Promise<string | undefined> {
    await this.preload();
    return this.#existing?.handle;
  }

  async markAuthenticated(): Promise<void> {
    await this.#writable('markAuthenticated');
    this.#authenticatedAt = this.#context.now();
  }

  async times(): Promise<SessionTimes | undefined> {
    await this.#ready();
    const meta = this.#existing?.meta;
    if (meta === undefined) return undefined;
    return {
      createdAt: meta.createdAt,
      lastSeenAt: meta.lastSeenAt,
      expiresAt: sessionExpiresAt(meta, this.#context),
      authenticatedAt: this.#authenticatedAt,
    };
  }

  async isFresh(maxAgeSeconds: number): Promise<boolean> {
    if (typeof maxAgeSeconds !== 'number' || !(maxAgeSeconds >= 0)) {
      throw new TypeError('[fetch-session] isFresh() takes a number of seconds, 0 or more');
    }
    await this.#ready();
    const at = this.#authenticatedAt;
    return at !== undefined && this.#context.now() - at < maxAgeSeconds * 1000;
  }

  async setPermanent(permanent: boolean): Promise<void> {
    await this.#writable('setPermanent');
    this.#permanent = permanent;
  }

  async isPermanent(): Promise<boolean> {
    await this.#ready();
    return this.#permanent;
  }

  async isNew(): Promise<boolean> {
    await this.#ready();
    return this.#existing === undefined;
  }

  /**
   * Loads now without counting as a use: a handler that then ignores the session still gets
   * no `Vary` and no write. For frameworks that expect the session ready before the route.
   */
  preload(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  /**
   * Persists what changed and says what the response needs. Called once, after the handler.
   * A session whose load failed writes nothing: it never replaces the real record (S29).
   */
  async commit(): Promise<SessionCommit> {
    // A read-only session cannot have changed: nothing to write, no cookie, no touch. What it
    // showed of a stored session still keeps the response out of shared caches (S22).
    if (this.#refuseWrite !== undefined) {
      if (!this.#used) return UNTOUCHED;
      const stored = this.#existing !== undefined && this.#context.privateSessionResponses;
      return this.#overTransport(stored ? STORED_READ : READ_ONLY);
    }
    if (this.#committed) throw new SessionStateError('a session can be committed only once');
    this.#committed = true;
    if (!this.#used) return UNTOUCHED;
    try {
      await this.#loading;
    } catch {
      return this.#overTransport(READ_ONLY);
    }
    const existing = this.#existing;
    const committed =
      existing !== undefined && !this.#regenerate
        ? await this.#commitExisting(existing)
        : await this.#commitNew(existing);
    const result = this.#overTransport(committed);
    // A cookie sent without Secure (`secure: 'auto'` over http) reaches the browser: no warning.
    if (result.setCookie !== undefined && this.#cookie.secure) {
      this.#context.checkTransport(this.#input, this.#url);
    }
    return this.#clearSiteData ? { ...result, clearSiteData: true } : result;
  }

  async #commitExisting(existing: PersistedSession): Promise<SessionCommit> {
    const { persistence, touchAfterMs, privateSessionResponses } = this.#context;
    const now = this.#context.now();
    const read = privateSessionResponses ? STORED_READ : READ_ONLY;
    const { set, deleted } = this.#fields.diff();
    const fieldsChanged = deleted.length > 0 || hasKeys(set);
    const touchDue = now - existing.meta.lastSeenAt >= touchAfterMs;
    const permanentChanged = this.#permanent !== existing.meta.permanent;
    const userChanged =
      this.#userId !== existing.meta.userId ||
      this.#device !== existing.meta.device ||
      this.#authenticatedAt !== existing.meta.authenticatedAt;
    // A stale server cookie only needs re-signing; a stale sealed cookie must be re-sealed.
    const resealDue = existing.stale && persistence.cookieCarriesData;

    if (!fieldsChanged && !touchDue && !permanentChanged && !userChanged && !resealDue) {
      if (!existing.stale) return read;
      const value = await persistence.currentValue(existing);
      return {
        setCookie: this.#cookieHeader(value, cookieMaxAge(existing.meta, now, this.#context)),
        vary: true,
        changed: false,
        private: privateSessionResponses,
      };
    }

    const meta: SessionMeta = this.#withUser({
      createdAt: existing.meta.createdAt,
      permanent: this.#permanent,
      lastSeenAt: touchDue ? now : existing.meta.lastSeenAt,
      ...(existing.meta.origin !== undefined && { origin: existing.meta.origin }),
    });
    const value = await persistence.update(existing, {
      meta,
      set,
      deleted,
      fields: () => this.#fields.all(set),
      fieldsChanged: fieldsChanged || userChanged,
      expiresAt: sessionExpiresAt(meta, this.#context),
    });
    if (value === 'gone') {
      this.#context.emit({
        type: 'write-skipped',
        session: existing.fingerprint,
        reason: 'session-gone',
      });
      return read;
    }
    if (touchDue) this.#context.emit({ type: 'touched', session: existing.fingerprint });
    if (userChanged && this.#userId !== existing.meta.userId) {
      await this.#userBound(existing.handle);
    }
    const cookieChanged =
      persistence.cookieCarriesData ||
      (touchDue && this.#permanent) ||
      permanentChanged ||
      existing.stale;
    const changed = fieldsChanged || permanentChanged || userChanged;
    if (!cookieChanged) {
      if (!changed) return read;
      return privateSessionResponses ? STORED_WRITTEN : WRITTEN;
    }
    return {
      setCookie: this.#cookieHeader(value, cookieMaxAge(meta, now, this.#context)),
      vary: true,
      changed,
      private: privateSessionResponses,
    };
  }

  /** A new visitor's first write, a write after `destroy()`, or `regenerate()`. */
  async #commitNew(previous: PersistedSession | undefined): Promise<SessionCommit> {
    const { persistence } = this.#context;
    const fields = this.#fields.all(this.#fields.diff().set);
    if (!hasKeys(fields) && this.#userId === undefined) {
      // Nothing to keep: no record, and no cookie for visitors who only read (S12).
      // regenerate() of an empty session still retires the old ID.
      if (previous !== undefined) await persistence.remove(previous);
      const cleared = this.#destroyed || previous !== undefined;
      return {
        setCookie: cleared ? this.#expiredCookieHeader() : undefined,
        vary: true,
        changed: cleared,
        private: false,
      };
    }

    const now = this.#context.now();
    // Regenerate keeps the creation time: the absolute timeout is never extended (S16). It
    // keeps the lineage too while the user stays the same, so revocation finds the new record.
    const origin =
      previous !== undefined && previous.meta.userId === this.#userId ? previous.handle : undefined;
    const meta: SessionMeta = this.#withUser({
      createdAt: previous === undefined ? now : previous.meta.createdAt,
      lastSeenAt: now,
      permanent: this.#permanent,
      ...(origin !== undefined && { origin }),
    });
    const created = await persistence.create(meta, fields, sessionExpiresAt(meta, this.#context));
    // Regenerate retires the old record only after the new one exists, and gives up if the
    // old one is already gone (destroyed or revoked by another request meanwhile): a revoke
    // either deleted the old record first (we see it gone and drop the new one) or lists the
    // lineage again after its delete found nothing, and deletes the new one (S21, H2).
    if (previous !== undefined && !(await persistence.remove(previous))) {
      await persistence.remove(created);
      this.#context.emit({
        type: 'write-skipped',
        session: previous.fingerprint,
        reason: 'session-gone',
      });
      return { setCookie: this.#expiredCookieHeader(), vary: true, changed: true, private: false };
    }
    if (previous?.meta.userId !== this.#userId) await this.#userBound(created.handle);
    if (previous !== undefined) {
      this.#context.emit({
        type: 'regenerated',
        session: created.fingerprint,
        previous: previous.fingerprint,
      });
    } else {
      this.#context.emit({ type: 'created', session: created.fingerprint });
    }
    return {
      setCookie: this.#cookieHeader(created.cookieValue, cookieMaxAge(meta, now, this.#context)),
      vary: true,
      changed: true,
      private: false,
    };
  }

  #cookieHeader(value: string, maxAge: number | undefined): string {
    this.#issued = value;
    return this.#cookie.serialize(value, maxAge);
  }

  #expiredCookieHeader(): string {
    this.#issued = '';
    return this.#cookie.serializeExpired();
  }

  /** With a header transport, the ID goes out in that header and no cookie is set. */
  #overTransport(commit: SessionCommit): SessionCommit {
    const transport = this.#context.transport;
    if (transport === undefined) return commit;
    const issued = this.#issued;
    return {
      ...commit,
      setCookie: undefined,
      varyOn: transport.requestHeader,
      ...(issued !== undefined && {
        sessionHeader: { name: transport.responseHeader, value: issued },
      }),
    };
  }

  #withUser(meta: {
    createdAt: number;
    lastSeenAt: number;
    permanent: boolean;
    origin?: string;
  }): SessionMeta {
    return {
      ...meta,
      ...(this.#userId !== undefined && { userId: this.#userId }),
      ...(this.#device !== undefined && { device: this.#device }),
      ...(this.#authenticatedAt !== undefined && { authenticatedAt: this.#authenticatedAt }),
    };
  }

  async #userBound(handle: string | undefined): Promise<void> {
    const userId = this.#userId;
    if (userId === undefined || this.#context.userBound === undefined) return;
    try {
      await this.#context.userBound(userId, handle);
    } catch {
      // Reported as a store-error event; the session is stored, so its cookie must still go
      // out. The cap is enforced again at the user's next sign-in.
    }
  }

  #ready(): Promise<void> {
    if (!this.#used) {
      this.#used = true;
      this.#onAccess?.();
    }
    return this.preload();
  }

  /** Refuses a write before anything loads: a refused write is no use of the session. */
  #refuseIfReadOnly(operation: SessionWriteMethod): void {
    if (this.#refuseWrite !== undefined) throw this.#refuseWrite(operation);
  }

  async #writable(operation: SessionWriteMethod): Promise<void> {
    this.#refuseIfReadOnly(operation);
    if (this.#committed)
      throw new SessionStateError('the session was already committed; changes would be lost');
    await this.#ready();
  }

  #validateStored(schema: SessionDataSchema, fingerprint: string): Promise<void> {
    return validateFields(this.#fields, schema, (key) =>
      this.#context.emit({ type: 'invalid-data', session: fingerprint, key }),
    );
  }

  async #load(): Promise<void> {
    const context = this.#context;
    const cookieValue = readSessionToken(this.#input, context.cookie.name, context.transport);
    if (cookieValue === undefined) return;
    const found = await context.persistence.load(cookieValue);
    if (found === undefined) return;

    const { meta } = found;
    const expired = expiredBy(meta, context.now(), context);
    if (expired !== undefined) {
      // Timestamps decide (S17); the store's TTL only collects garbage.
      context.emit({ type: 'expired', session: found.fingerprint, reason: expired });
      try {
        await context.persistence.remove(found);
      } catch {
        // Already reported as a store-error event; an expired record is refused either way.
      }
      return;
    }
    this.#existing = found;
    this.#fields.reset(found.fields);
    if (context.schema !== undefined) await this.#validateStored(context.schema, found.fingerprint);
    this.#permanent = meta.permanent;
    this.#userId = meta.userId;
    this.#device = meta.device;
    this.#authenticatedAt = meta.authenticatedAt;
    context.emit({ type: 'loaded', session: found.fingerprint });
  }
}

/** Kept apart so the load stays readable; only called with a `schema` option. */
async function validateFields(
  fields: SessionFields,
  schema: SessionDataSchema,
  onInvalid: (key: string) => void,
): Promise<void> {
  const values = new Map<string, unknown>();
  for (const field of fields.dataFields()) {
    const key = field.slice(DATA.length);
    if (!schema.covers(key)) continue;
    const value = fields.read(field);
    if (value !== undefined) values.set(key, value);
  }
  if (values.size === 0) return;
  const { values: checked, invalid } = await schema.check(values);
  for (const [key, value] of checked) if (values.has(key)) fields.adopt(DATA + key, value);
  for (const key of invalid) {
    fields.adopt(DATA + key, undefined);
    onInvalid(key);
  }
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}
