// Configuration validation (every option throws a SessionConfigError naming it, at
// construction) and redaction of errors and events (SECURITY.md S24).

import { inspect } from 'node:util';
import {
  createSessionManager,
  type SessionEvent,
  type SessionManager,
  type SessionOptions,
  type SessionStore,
} from '@fetch-session/core';
import {
  SessionConfigError,
  SessionError,
  SessionSerializationError,
  SessionStoreError,
} from '@fetch-session/core/errors';
import { isRedacted, type RedactedError } from '@fetch-session/core/store-kit';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it, vi } from 'vitest';

type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

const SECRET = 'config-errors-test-secret-0123456789abcdefgh';

/** Options that are valid, with `overrides` applied (invalid values allowed on purpose). */
function options(overrides: Record<string, unknown> = {}): SessionOptions {
  return { store: memoryStore(), secrets: SECRET, ...overrides } as SessionOptions;
}

function configError(input: unknown): SessionConfigError {
  let caught: unknown;
  try {
    createSessionManager(input as SessionOptions);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionConfigError);
  return caught as SessionConfigError;
}

/** Asserts that `overrides` throws a well-formed SessionConfigError naming `option`. */
function expectConfigError(overrides: Record<string, unknown>, option: string): void {
  const error = configError(options(overrides));
  expect(error.option).toBe(option);
  expect(error).toBeInstanceOf(SessionError);
  expect(error).toBeInstanceOf(Error);
  expect(error.code).toBe('ERR_SESSION_CONFIG');
  expect(error.name).toBe('SessionConfigError');
  expect(error.message).toContain(`\`${option}\``);
}

describe('configuration errors', () => {
  it('SessionConfigError carries ERR_SESSION_CONFIG on the class and on the instance', () => {
    expect(SessionConfigError.code).toBe('ERR_SESSION_CONFIG');
    const error = configError(options({ secrets: [] }));
    expect(error.code).toBe(SessionConfigError.code);
    expect(error).toBeInstanceOf(SessionError);
    expect(error.message.startsWith('[fetch-session] ')).toBe(true);
    // Other classes keep their own codes.
    expect(SessionStoreError.code).toBe('ERR_SESSION_STORE');
    expect(new SessionStoreError('x', 'load').code).toBe('ERR_SESSION_STORE');
  });

  it('valid options construct a manager (control)', () => {
    expect(() => createSessionManager(options())).not.toThrow();
    expect(() => createSessionManager(options({ secrets: new Uint8Array(32) }))).not.toThrow();
    expect(() =>
      createSessionManager(options({ secrets: ['x'.repeat(32), 'y'.repeat(64)] })),
    ).not.toThrow();
    // 16 two-byte characters are 32 bytes.
    expect(() => createSessionManager(options({ secrets: 'é'.repeat(16) }))).not.toThrow();
  });

  it('options that are not an object throw, naming options', () => {
    for (const input of [null, undefined, 'secret', 42])
      expect(configError(input).option).toBe('options');
  });

  it('missing or empty secrets throw, naming secrets', () => {
    for (const secrets of [undefined, null, [], {}, 42]) expectConfigError({ secrets }, 'secrets');
  });

  it('secrets shorter than 32 bytes throw, naming secrets[i], as strings and as Uint8Arrays', () => {
    expectConfigError({ secrets: '' }, 'secrets[0]');
    expectConfigError({ secrets: 'short' }, 'secrets[0]');
    expectConfigError({ secrets: 'x'.repeat(31) }, 'secrets[0]');
    expectConfigError({ secrets: ['x'.repeat(31)] }, 'secrets[0]');
    // Bytes are counted, not characters: 15 two-byte characters and one ASCII are 31 bytes.
    expectConfigError({ secrets: `${'é'.repeat(15)}a` }, 'secrets[0]');
    expectConfigError({ secrets: new Uint8Array(0) }, 'secrets[0]');
    expectConfigError({ secrets: new Uint8Array(31) }, 'secrets[0]');
    expectConfigError({ secrets: [new Uint8Array(31)] }, 'secrets[0]');
    expectConfigError({ secrets: [SECRET, 'short'] }, 'secrets[1]');
    expectConfigError({ secrets: [SECRET, new Uint8Array(32), new Uint8Array(16)] }, 'secrets[2]');
  });

  it('a missing secret (an unset environment variable) says so and how to make one', () => {
    for (const secrets of [[undefined], undefined, [null]]) {
      const error = configError(options({ secrets }));
      const index = Array.isArray(secrets) ? '[0]' : '';
      expect(error.option).toBe(`secrets${index}`);
      expect(error.message).toContain(`\`secrets${index}\`: is ${secrets?.[0] ?? secrets}`);
      expect(error.message).toContain('the secret is missing');
      expect(error.message).toContain('Set SESSION_SECRET');
      expect(error.message).toContain('openssl rand -base64 32');
      expect(error.message).toContain("crypto.randomBytes(32).toString('base64url')");
      expect(error.message).not.toContain('must be a string or a Uint8Array');
    }
    // An empty or short one says how to make a good one too.
    const empty = configError(options({ secrets: [''] }));
    expect(empty.message).toContain('is empty');
    expect(empty.message).toContain('openssl rand -base64 32');
    expect(configError(options({ secrets: 'short' })).message).toMatch(
      /at least 32 bytes \(got 5\).*openssl rand/,
    );
    // The commands work: what they print is long enough.
    const made = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    expect(() => createSessionManager(options({ secrets: made }))).not.toThrow();
  });

  it('secrets of the wrong type throw, naming secrets[i]', () => {
    expectConfigError({ secrets: [SECRET, 42] }, 'secrets[1]');
    expectConfigError({ secrets: [null] }, 'secrets[0]');
    expectConfigError({ secrets: [new ArrayBuffer(64)] }, 'secrets[0]');
    expectConfigError({ secrets: [[SECRET]] }, 'secrets[0]');
  });

  it('S24: a short secret is not echoed in the error message', () => {
    const secret = 'tooShortButSensitive-31-bytes!!';
    expect(new TextEncoder().encode(secret).length).toBe(31);
    const error = configError(options({ secrets: [SECRET, secret] }));
    expect(error.option).toBe('secrets[1]');
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain(SECRET);
  });

  it('a store missing methods throws, naming store', () => {
    const load = async () => undefined;
    const write = async () => 'ok' as const;
    const del = async () => {};
    const stores = [
      undefined,
      null,
      'memory',
      {},
      { name: 'x', write, delete: del },
      { name: 'x', load, delete: del },
      { name: 'x', load, write },
      { name: 'x', load: 'load', write, delete: del },
    ];
    for (const store of stores) expectConfigError({ store }, 'store');
  });

  it('non-positive or non-numeric timeouts throw, naming the timeout', () => {
    // `undefined` and `null` mean "use the default".
    for (const value of [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, '60']) {
      expectConfigError({ idleTimeout: value }, 'idleTimeout');
      expectConfigError({ absoluteTimeout: value, idleTimeout: 10 }, 'absoluteTimeout');
    }
  });

  it('an idle timeout longer than the absolute timeout throws, naming idleTimeout', () => {
    expectConfigError({ idleTimeout: 101, absoluteTimeout: 100 }, 'idleTimeout');
    // The default absolute timeout is 7 days.
    expectConfigError({ idleTimeout: 604_801 }, 'idleTimeout');
    expect(() =>
      createSessionManager(options({ idleTimeout: 100, absoluteTimeout: 100 })),
    ).not.toThrow();
  });

  it('touchAfter at or above idleTimeout, negative or not a number throws, naming touchAfter', () => {
    for (const touchAfter of [100, 101, -1, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expectConfigError({ idleTimeout: 100, touchAfter }, 'touchAfter');
    }
    expect(() => createSessionManager(options({ idleTimeout: 100, touchAfter: 0 }))).not.toThrow();
    expect(() =>
      createSessionManager(options({ idleTimeout: 100, touchAfter: 99.9 })),
    ).not.toThrow();
  });

  it('a purpose with NUL, empty or not a string throws, naming purpose', () => {
    for (const purpose of ['a\u0000b', '\u0000', '', 42]) expectConfigError({ purpose }, 'purpose');
  });

  it('a negative or fractional verifiedCookieCacheSize throws, naming it', () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10']) {
      expectConfigError({ verifiedCookieCacheSize: size }, 'verifiedCookieCacheSize');
    }
    expect(() => createSessionManager(options({ verifiedCookieCacheSize: 0 }))).not.toThrow();
  });

  it('other options are validated too: keyPrefix, serializer, now, onEvent, permanent', () => {
    expectConfigError({ keyPrefix: 'k'.repeat(129) }, 'keyPrefix');
    expectConfigError({ keyPrefix: '🍪'.repeat(33) }, 'keyPrefix'); // 33 characters, 132 bytes
    expectConfigError({ keyPrefix: 42 }, 'keyPrefix');
    expectConfigError({ serializer: { stringify: JSON.stringify } }, 'serializer');
    expectConfigError({ serializer: { parse: JSON.parse } }, 'serializer');
    expectConfigError({ now: 123 }, 'now');
    expectConfigError({ onEvent: 'log' }, 'onEvent');
    expectConfigError({ permanent: 'yes' }, 'permanent');
  });

  it('cookie options are validated with dotted option names', () => {
    expectConfigError({ cookie: { name: 'a;b' } }, 'cookie.name');
    expectConfigError({ cookie: { path: '/;x' } }, 'cookie.path');
    expectConfigError({ cookie: { domain: 'a b' } }, 'cookie.domain');
    expectConfigError({ cookie: { sameSite: 'loose' } }, 'cookie.sameSite');
    expectConfigError({ cookie: { priority: 'urgent' } }, 'cookie.priority');
    expectConfigError({ cookie: { httpOnly: 'yes' } }, 'cookie.httpOnly');
    expectConfigError({ cookie: { secure: 'yes' } }, 'cookie.secure');
    expectConfigError({ cookie: { partitioned: 'yes' } }, 'cookie.partitioned');
    expectConfigError({ cookie: { sameSite: 'none', secure: false } }, 'cookie.sameSite');
    expectConfigError({ cookie: { name: '__Host-x', domain: 'example.com' } }, 'cookie.domain');
  });

  it('the memory store validates its options the same way', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        memoryStore({ maxEntries });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SessionConfigError);
      expect((caught as SessionConfigError).option).toBe('maxEntries');
    }
  });
});

describe('S24: errors and events never contain a session ID, cookie value or payload', () => {
  const PAYLOAD = 'card-4111111111111111-secret-payload';

  /** A memory store whose chosen operations fail like a chatty SDK: key and data in the message. */
  function failingStore(fail: { load?: boolean; write?: boolean; delete?: boolean }) {
    const inner = memoryStore();
    const state = { ...fail };
    const store: SessionStore = {
      name: 'chatty',
      async load(key) {
        if (state.load) throw new Error(`GET ${key} failed: ERR ${PAYLOAD}`);
        return inner.load(key);
      },
      async write(key, patch, writeOptions) {
        if (state.write) throw new Error(`HSET ${key} ${JSON.stringify(patch)} failed`);
        return inner.write(key, patch, writeOptions);
      },
      async delete(key) {
        if (state.delete) throw new Error(`DEL ${key} failed`);
        return inner.delete(key);
      },
    };
    return { store, state };
  }

  async function issue(sessions: Manager): Promise<string> {
    const session = sessions.open(null);
    await session.set('card', PAYLOAD);
    const { setCookie } = await sessions.commit(session);
    return (setCookie as string).split(';')[0]?.slice('sid='.length) as string;
  }

  function expectRedacted(text: string, secrets: string[]): void {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  /** The cause is a redacted copy; the store's own error is its non-enumerable `original`. */
  function expectRedactedCause(error: Error, secret: string): void {
    expect(isRedacted(error.cause)).toBe(true);
    const cause = error.cause as RedactedError;
    expect(cause.message).not.toContain(secret);
    expect(Object.keys(cause)).not.toContain('original');
    expect((cause.original as Error).message).toContain(secret);
  }

  it('S24: a store error while loading is a redacted SessionStoreError whose cause is redacted too', async () => {
    const { store, state } = failingStore({});
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store,
      secrets: SECRET,
      onEvent: (e) => events.push(e),
    });
    const value = await issue(sessions);
    const id = value.slice(0, 43);
    state.load = true;

    const session = sessions.open(`sid=${value}`);
    let caught: unknown;
    try {
      await session.get('card');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionStoreError);
    const error = caught as SessionStoreError;
    expect(error.operation).toBe('load');
    expect(error.store).toBe('chatty');
    expect(error.code).toBe('ERR_SESSION_STORE');
    // The cause printed by loggers is redacted; the original stays reachable for logs the
    // application controls...
    expectRedactedCause(error, PAYLOAD);
    // ...and the message of the error the application sees holds neither ID, value nor data.
    expectRedacted(error.message, [value, id, value.slice(44), PAYLOAD]);
    expectRedacted(String(error), [value, id, PAYLOAD]);
    expect(error.stack ?? '').not.toContain(id);

    const storeErrors = events.filter((event) => event.type === 'store-error');
    expect(storeErrors).toHaveLength(1);
    expect(storeErrors[0]?.error).toBe(error);
    expectRedacted(JSON.stringify(events), [value, id, value.slice(44), PAYLOAD]);
    // A failed load writes nothing and sets no cookie (fails closed, S29).
    expect(await sessions.commit(session)).toEqual({
      setCookie: undefined,
      vary: true,
      changed: false,
      private: false,
    });
  });

  it('S24: a store error while writing is redacted: no payload, ID or cookie value', async () => {
    const { store, state } = failingStore({});
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store,
      secrets: SECRET,
      onEvent: (e) => events.push(e),
    });
    const value = await issue(sessions);
    const id = value.slice(0, 43);
    state.write = true;

    const session = sessions.open(`sid=${value}`);
    await session.set('card', `${PAYLOAD}-updated`);
    let caught: unknown;
    try {
      await sessions.commit(session);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionStoreError);
    const error = caught as SessionStoreError;
    expect(error.operation).toBe('write');
    expectRedactedCause(error, PAYLOAD);
    expectRedacted(error.message, [value, id, PAYLOAD]);
    expectRedacted(JSON.stringify(events), [value, id, PAYLOAD]);

    // A new session's failed create is redacted the same way.
    const fresh = sessions.open(null);
    await fresh.set('card', PAYLOAD);
    const freshError = await sessions.commit(fresh).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(freshError).toBeInstanceOf(SessionStoreError);
    expectRedacted((freshError as Error).message, [PAYLOAD]);
  });

  it('S24: a store error while destroying is redacted', async () => {
    const { store, state } = failingStore({});
    const sessions = createSessionManager({ store, secrets: SECRET });
    const value = await issue(sessions);
    state.delete = true;
    const session = sessions.open(`sid=${value}`);
    const error = await session.destroy().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as SessionStoreError).operation).toBe('delete');
    expectRedactedCause(error as SessionStoreError, 'DEL sess:');
    expectRedacted((error as Error).message, [value, value.slice(0, 43)]);
  });

  it('S24: the 503 from wrap() reveals nothing either', async () => {
    const { store, state } = failingStore({});
    const sessions = createSessionManager({ store, secrets: SECRET });
    const value = await issue(sessions);
    state.load = true;
    const handler = sessions.wrap(
      async (_request, session) => new Response(String(await session.get('card'))),
    );
    const response = await handler(
      new Request('https://example.test/', { headers: { cookie: `sid=${value}` } }),
    );
    expect(response.status).toBe(503);
    const body = await response.text();
    expectRedacted(body, [value, value.slice(0, 43), PAYLOAD]);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('S24: a serialization error names the key, never the value, and its cause is redacted', async () => {
    const sessions = createSessionManager({
      store: memoryStore(),
      secrets: SECRET,
      serializer: {
        stringify: (value) => {
          throw new Error(`cannot serialize ${JSON.stringify(value)}`);
        },
        parse: JSON.parse,
      },
    });
    const session = sessions.open(null);
    await session.set('card', PAYLOAD);
    const error = await sessions.commit(session).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SessionSerializationError);
    const serialization = error as SessionSerializationError;
    expect(serialization.key).toBe('card');
    expect(serialization.message).toContain('card');
    expect(serialization.message).not.toContain(PAYLOAD);
    expectRedactedCause(serialization, PAYLOAD);
  });

  it('S24: util.inspect and console.error print no payload from a store error, its cause or its event', async () => {
    const { store, state } = failingStore({});
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store,
      secrets: SECRET,
      onEvent: (e) => events.push(e),
    });
    const value = await issue(sessions);
    state.load = true;
    const error = await sessions
      .open(`sid=${value}`)
      .get('card')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SessionStoreError);
    // Planted in the store's error message: unredacted, it would be printed here.
    expect(((error as Error).cause as RedactedError).original).toBeInstanceOf(Error);
    const printed: string[] = [inspect(error, { depth: 10 }), inspect(events, { depth: 10 })];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((arg) => inspect(arg, { depth: 10 })).join(' '));
    });
    try {
      console.error(error);
      console.error('session failed', { error });
    } finally {
      spy.mockRestore();
    }
    expect(printed).toHaveLength(4);
    for (const text of printed) {
      expect(text).toContain('ERR_SESSION_STORE');
      expectRedacted(text, [PAYLOAD, value, value.slice(0, 43), 'sess:']);
    }
    // The redacted cause still says what kind of failure it was.
    expect(printed[0]).toContain('[cause]: Error: GET: details redacted');
  });

  it('S24: a store that throws a SessionStoreError keeps it: not wrapped twice, its cause redacted', async () => {
    const inner = memoryStore();
    const own = new SessionStoreError('own', 'load', { cause: new Error(`GET ${PAYLOAD}`) });
    const store: SessionStore = {
      name: 'own',
      load: async () => {
        throw own;
      },
      write: (key, patch, writeOptions) => inner.write(key, patch, writeOptions),
      delete: (key) => inner.delete(key),
    };
    const sessions = createSessionManager({ store, secrets: SECRET });
    const value = await issue(sessions);
    const error = await sessions
      .open(`sid=${value}`)
      .get('card')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBe(own);
    expectRedactedCause(own, PAYLOAD);
  });

  it('S24: events over a whole lifecycle carry fingerprints, never IDs or cookie values', async () => {
    const events: SessionEvent[] = [];
    const sessions = createSessionManager({
      store: memoryStore(),
      secrets: SECRET,
      onEvent: (e) => events.push(e),
    });
    const values: string[] = [];
    const first = await issue(sessions);
    values.push(first);

    const login = sessions.open(`sid=${first}`);
    await login.get('card');
    await login.regenerate();
    const regenerated = (await sessions.commit(login)).setCookie?.split(';')[0]?.slice(4) as string;
    values.push(regenerated);

    await sessions.commit(sessions.open(`sid=${first}`)); // untouched
    const stale = sessions.open(`sid=${first}`);
    await stale.get('card'); // unknown-session
    await sessions.commit(stale);

    const logout = sessions.open(`sid=${regenerated}`);
    await logout.destroy();
    await sessions.commit(logout);

    // Another last character, so the value is always a bad signature.
    const tampered = sessions.open(
      `sid=${regenerated.slice(0, 86)}${regenerated.endsWith('A') ? 'B' : 'A'}`,
    );
    await tampered.get('card');
    await sessions.commit(tampered);

    const types = new Set(events.map((event) => event.type));
    for (const type of [
      'created',
      'loaded',
      'regenerated',
      'unknown-session',
      'destroyed',
      'invalid-cookie',
    ]) {
      expect(types.has(type as SessionEvent['type']), type).toBe(true);
    }
    const dump = JSON.stringify(events);
    for (const value of values) {
      expect(regenerated).not.toBe(first);
      expectRedacted(dump, [
        value,
        value.slice(0, 43),
        value.slice(44),
        value.slice(0, 20),
        value.slice(44, 64),
      ]);
    }
    expectRedacted(dump, [PAYLOAD]);
    for (const event of events) {
      if ('session' in event && event.session !== undefined)
        expect(event.session.length).toBeLessThanOrEqual(16);
    }
  });
});
