import { parseCookie } from 'cookie';
import { deviceLabel } from './device-label.js';
import { SessionSerializationError, SessionStateError } from './errors.js';
import type { SessionEvent } from './events.js';
import type { ResolvedOptions } from './options.js';
import type { PersistedSession, Persistence } from './persistence.js';
import type { Session, SessionKey } from './session.js';
import type { SessionMeta } from './store.js';

/** What one request's session needs from its manager. */
export interface SessionContext extends ResolvedOptions {
  readonly persistence: Persistence;
  emit(event: SessionEvent): void;
}

/** What a commit asks of the response. */
export interface SessionCommit {
  /** A `Set-Cookie` value to append, if the cookie must be set or cleared. */
  readonly setCookie: string | undefined;
  /** Whether the session was read or written, so the response must carry `Vary: Cookie` (S22). */
  readonly vary: boolean;
  /**
   * Whether the handler changed what the session holds (data, flash values, permanence, a new
   * or destroyed session); a refresh alone is not a change. Frameworks that cache rendered
   * pages use it (a Next.js Server Action re-renders when it is true).
   */
  readonly changed: boolean;
  /**
   * Whether the response depends on a stored session (the handler used a session loaded from
   * the request's cookie), so no shared cache may store it: the headers then get
   * `Cache-Control: private, no-store` unless the app chose `private` or `no-store` (S22).
   * Always false when the manager's `privateSessionResponses` is off. A response that sets
   * the cookie is kept out of shared caches because of `setCookie` alone.
   */
  readonly private: boolean;
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
const DATA = 'd:';
const FLASH = 'f:';
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * One request's session. Loads on first use; `commit()` turns what the handler did into at
 * most one store write (plus a delete on regenerate) and at most one `Set-Cookie`.
 */
export class SessionState<Data extends object, Flash extends object>
  implements Session<Data, Flash>
{
  readonly #context: SessionContext;
  readonly #input: Request | Headers | string | null | undefined;
  readonly #onAccess: (() => void) | undefined;
  #loading: Promise<void> | undefined;
  /** A session method was called: the response depends on the cookie. */
  #used = false;
  #committed = false;

  #existing: PersistedSession | undefined;
  /** Serialized fields as loaded; the baseline for change detection. */
  #stored: Readonly<Record<string, string>> = NO_FIELDS;
  /** Parsed or assigned values by field; `undefined` marks a deletion. */
  readonly #values = new Map<string, unknown>();
  /** Fields that may differ from `#stored`: assigned, deleted, or handed out as objects. */
  readonly #tracked = new Set<string>();
  #permanent: boolean;
  /** The user and device label to store in `meta` (`bindUser`). */
  #userId: string | undefined;
  #device: string | undefined;
  #regenerate = false;
  /** The request's cookie pointed at a session this request destroyed. */
  #destroyed = false;

  constructor(
    context: SessionContext,
    input: Request | Headers | string | null | undefined,
    onAccess?: () => void,
  ) {
    this.#context = context;
    this.#input = input;
    this.#onAccess = onAccess;
    this.#permanent = context.permanent;
  }

  async get<K extends SessionKey<Data>>(key: K): Promise<Data[K] | undefined> {
    await this.#ready();
    return this.#read(DATA + key) as Data[K] | undefined;
  }

  async set<K extends SessionKey<Data>>(key: K, value: Data[K] | undefined): Promise<void> {
    await this.#writable();
    this.#assign(DATA + key, value);
  }

  async delete(key: SessionKey<Data>): Promise<void> {
    await this.#writable();
    this.#assign(DATA + key, undefined);
  }

  async has(key: SessionKey<Data>): Promise<boolean> {
    await this.#ready();
    const field = DATA + key;
    return this.#values.has(field) ? this.#values.get(field) !== undefined : field in this.#stored;
  }

  async keys(): Promise<Array<SessionKey<Data>>> {
    await this.#ready();
    return this.#dataFields().map((field) => field.slice(DATA.length) as SessionKey<Data>);
  }

  async all(): Promise<Partial<Data>> {
    await this.#ready();
    const data: Record<string, unknown> = {};
    for (const field of this.#dataFields()) {
      Object.defineProperty(data, field.slice(DATA.length), {
        value: this.#read(field),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return data as Partial<Data>;
  }

  async clear(): Promise<void> {
    await this.#writable();
    for (const field of this.#dataFields()) this.#assign(field, undefined);
  }

  async flash<K extends SessionKey<Flash>>(key: K, value: Flash[K]): Promise<void> {
    await this.#writable();
    this.#assign(FLASH + key, value);
  }

  async peekFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined> {
    await this.#ready();
    return this.#read(FLASH + key) as Flash[K] | undefined;
  }

  async takeFlash<K extends SessionKey<Flash>>(key: K): Promise<Flash[K] | undefined> {
    await this.#writable();
    const field = FLASH + key;
    const value = this.#read(field);
    if (value !== undefined) this.#assign(field, undefined);
    return value as Flash[K] | undefined;
  }

  async regenerate(): Promise<void> {
    await this.#writable();
    this.#regenerate = true;
  }

  async destroy(): Promise<void> {
    await this.#writable();
    const existing = this.#existing;
    if (existing !== undefined) {
      await this.#context.persistence.remove(existing);
      this.#context.emit({ type: 'destroyed', session: existing.fingerprint });
      this.#destroyed = true;
    }
    this.#existing = undefined;
    this.#stored = NO_FIELDS;
    this.#values.clear();
    this.#tracked.clear();
    this.#regenerate = false;
    this.#permanent = this.#context.permanent;
    this.#userId = undefined;
    this.#device = undefined;
  }

  async bindUser(userId: string, options: { device?: string } = {}): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
      throw new TypeError('[fetch-session] bindUser() takes a user ID of 1 to 256 characters');
    }
    await this.#writable();
    this.#userId = userId;
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

  async setPermanent(permanent: boolean): Promise<void> {
    await this.#writable();
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
    if (this.#committed) throw new SessionStateError('a session can be committed only once');
    this.#committed = true;
    if (!this.#used) return UNTOUCHED;
    try {
      await this.#loading;
    } catch {
      return READ_ONLY;
    }
    const existing = this.#existing;
    if (existing !== undefined && !this.#regenerate) return this.#commitExisting(existing);
    return this.#commitNew(existing);
  }

  async #commitExisting(existing: PersistedSession): Promise<SessionCommit> {
    const { persistence, cookie, touchAfterMs, privateSessionResponses } = this.#context;
    const now = this.#context.now();
    const read = privateSessionResponses ? STORED_READ : READ_ONLY;
    const { set, deleted } = this.#diff();
    const fieldsChanged = deleted.length > 0 || hasKeys(set);
    const touchDue = now - existing.meta.lastSeenAt >= touchAfterMs;
    const permanentChanged = this.#permanent !== existing.meta.permanent;
    const userChanged =
      this.#userId !== existing.meta.userId || this.#device !== existing.meta.device;
    // A stale server cookie only needs re-signing; a stale sealed cookie must be re-sealed.
    const resealDue = existing.stale && persistence.cookieCarriesData;

    if (!fieldsChanged && !touchDue && !permanentChanged && !userChanged && !resealDue) {
      if (!existing.stale) return read;
      const value = await persistence.currentValue(existing);
      return {
        setCookie: cookie.serialize(value, this.#maxAge(existing.meta, now)),
        vary: true,
        changed: false,
        private: privateSessionResponses,
      };
    }

    const meta: SessionMeta = this.#withUser({
      createdAt: existing.meta.createdAt,
      permanent: this.#permanent,
      lastSeenAt: touchDue ? now : existing.meta.lastSeenAt,
    });
    const value = await persistence.update(existing, {
      meta,
      set,
      deleted,
      fields: () => this.#allFields(set),
      fieldsChanged: fieldsChanged || userChanged,
      expiresAt: this.#expiresAt(meta),
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
      setCookie: cookie.serialize(value, this.#maxAge(meta, now)),
      vary: true,
      changed,
      private: privateSessionResponses,
    };
  }

  /** A new visitor's first write, a write after `destroy()`, or `regenerate()`. */
  async #commitNew(previous: PersistedSession | undefined): Promise<SessionCommit> {
    const { persistence, cookie } = this.#context;
    const fields = this.#allFields(this.#diff().set);
    if (!hasKeys(fields) && this.#userId === undefined) {
      // Nothing to keep: no record, and no cookie for visitors who only read (S12).
      // regenerate() of an empty session still retires the old ID.
      if (previous !== undefined) await persistence.remove(previous);
      const cleared = this.#destroyed || previous !== undefined;
      return {
        setCookie: cleared ? cookie.serializeExpired() : undefined,
        vary: true,
        changed: cleared,
        private: false,
      };
    }

    const now = this.#context.now();
    // Regenerate keeps the creation time: the absolute timeout is never extended (S16).
    const meta: SessionMeta = this.#withUser({
      createdAt: previous === undefined ? now : previous.meta.createdAt,
      lastSeenAt: now,
      permanent: this.#permanent,
    });
    // Regenerate retires the old record first: if it is already gone (destroyed or revoked by
    // another request meanwhile), the session must not live on under a new ID (S21).
    if (previous !== undefined && !(await persistence.remove(previous))) {
      this.#context.emit({
        type: 'write-skipped',
        session: previous.fingerprint,
        reason: 'session-gone',
      });
      return { setCookie: cookie.serializeExpired(), vary: true, changed: true, private: false };
    }
    const created = await persistence.create(meta, fields, this.#expiresAt(meta));
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
      setCookie: cookie.serialize(created.cookieValue, this.#maxAge(meta, now)),
      vary: true,
      changed: true,
      private: false,
    };
  }

  /** Every field after applying `set` and the tracked deletions to what was loaded. */
  #allFields(set: Readonly<Record<string, string>>): Record<string, string> {
    const fields: Record<string, string> = { ...this.#stored, ...set };
    for (const field of this.#tracked)
      if (this.#values.get(field) === undefined) delete fields[field];
    return fields;
  }

  /** Changed fields: serialized values to set and fields to delete, compared with `#stored`. */
  #diff(): { set: Record<string, string>; deleted: string[] } {
    const set: Record<string, string> = {};
    const deleted: string[] = [];
    for (const field of this.#tracked) {
      const value = this.#values.get(field);
      const previous = this.#stored[field];
      const text = value === undefined ? undefined : this.#stringify(field, value);
      if (text === previous) continue;
      if (text === undefined) deleted.push(field);
      else set[field] = text;
    }
    return { set, deleted };
  }

  #stringify(field: string, value: unknown): string | undefined {
    try {
      return this.#context.serializer.stringify(value);
    } catch (cause) {
      throw new SessionSerializationError(field.slice(2), { cause });
    }
  }

  #read(field: string): unknown {
    let value: unknown;
    if (this.#values.has(field)) {
      value = this.#values.get(field);
    } else {
      const text = this.#stored[field];
      if (text === undefined) return undefined;
      try {
        value = this.#context.serializer.parse(text);
      } catch {
        // Stored data that does not parse (a corrupted or foreign write) reads as absent, never
        // as an error: the next write of this key replaces it.
        this.#context.emit({
          type: 'corrupt-data',
          session: this.#existing?.fingerprint ?? '',
          key: field.slice(2),
        });
        value = undefined;
      }
      this.#values.set(field, value);
    }
    // Only objects can change behind our back; primitives need no re-serialization at commit.
    if (typeof value === 'object' && value !== null) this.#tracked.add(field);
    return value;
  }

  #assign(field: string, value: unknown): void {
    this.#values.set(field, value);
    this.#tracked.add(field);
  }

  #dataFields(): string[] {
    const fields = new Set<string>();
    for (const field in this.#stored) if (field.startsWith(DATA)) fields.add(field);
    for (const [field, value] of this.#values) {
      if (!field.startsWith(DATA)) continue;
      if (value === undefined) fields.delete(field);
      else fields.add(field);
    }
    return [...fields];
  }

  #withUser(meta: { createdAt: number; lastSeenAt: number; permanent: boolean }): SessionMeta {
    return {
      ...meta,
      ...(this.#userId !== undefined && { userId: this.#userId }),
      ...(this.#device !== undefined && { device: this.#device }),
    };
  }

  #expiresAt(meta: SessionMeta): number {
    const { idleTimeoutMs, absoluteTimeoutMs } = this.#context;
    return Math.min(meta.lastSeenAt + idleTimeoutMs, meta.createdAt + absoluteTimeoutMs);
  }

  /** Cookie lifetime in seconds for a permanent session, never beyond the server-side one (S8). */
  #maxAge(meta: SessionMeta, now: number): number | undefined {
    if (!meta.permanent) return undefined;
    return Math.max(0, Math.floor((this.#expiresAt(meta) - now) / 1000));
  }

  #ready(): Promise<void> {
    if (!this.#used) {
      this.#used = true;
      this.#onAccess?.();
    }
    return this.preload();
  }

  async #writable(): Promise<void> {
    if (this.#committed)
      throw new SessionStateError('the session was already committed; changes would be lost');
    await this.#ready();
  }

  async #load(): Promise<void> {
    const context = this.#context;
    const cookieValue = readCookie(this.#input, context.cookie.name);
    if (cookieValue === undefined) return;
    const found = await context.persistence.load(cookieValue);
    if (found === undefined) return;

    const now = context.now();
    const { meta } = found;
    const expiredBy =
      now >= meta.createdAt + context.absoluteTimeoutMs
        ? 'absolute'
        : now >= meta.lastSeenAt + context.idleTimeoutMs
          ? 'idle'
          : undefined;
    if (expiredBy !== undefined) {
      // Timestamps decide (S17); the store's TTL only collects garbage.
      context.emit({ type: 'expired', session: found.fingerprint, reason: expiredBy });
      try {
        await context.persistence.remove(found);
      } catch {
        // Already reported as a store-error event; an expired record is refused either way.
      }
      return;
    }
    this.#existing = found;
    this.#stored = found.fields;
    this.#permanent = meta.permanent;
    this.#userId = meta.userId;
    this.#device = meta.device;
    context.emit({ type: 'loaded', session: found.fingerprint });
  }
}

function hasKeys(record: Record<string, string>): boolean {
  for (const _ in record) return true;
  return false;
}

/**
 * The session cookie's value. Only the configured cookie is read (S9). Names are matched the
 * way browsers send them: the `cookie` library trims only space and tab, so `\u00a0sid` is
 * another cookie (S32), and the first of duplicate names wins.
 */
function readCookie(
  input: Request | Headers | string | null | undefined,
  name: string,
): string | undefined {
  const header =
    input === null || input === undefined || typeof input === 'string'
      ? input
      : input instanceof Headers
        ? input.get('cookie')
        : input.headers.get('cookie');
  // Skip the parse entirely for requests that cannot carry our cookie.
  if (header === null || header === undefined || !header.includes(name)) return undefined;
  return parseCookie(header, { decode: keepAsIs })[name];
}

function userAgentOf(input: Request | Headers | string | null | undefined): string | null {
  if (input === null || input === undefined || typeof input === 'string') return null;
  return input instanceof Headers ? input.get('user-agent') : input.headers.get('user-agent');
}

function keepAsIs(value: string): string {
  return value;
}
