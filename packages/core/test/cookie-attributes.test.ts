// The session cookie: name, attributes, lifetime, size and parsing. SECURITY.md S3-S8, S26,
// S32, S33.
import { createSessionManager, type SessionCookieOptions } from '@fetch-session/core';
import {
  SessionConfigError,
  SessionCookieTooLargeError,
  SessionError,
} from '@fetch-session/core/errors';
import { createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { SessionCookie } from '../src/cookie-settings.js';
import {
  type CountedManager,
  issue,
  issueSetCookie,
  setupCounted,
  visit,
} from './counted-sessions.js';

const SECRET = 'cookie-attributes-test-secret-0123456789abcdef';

const setup = (options: Parameters<typeof setupCounted>[1] = {}) => setupCounted(SECRET, options);
type Manager = CountedManager;

/** Splits a `Set-Cookie` into its `name=value` pair and its attributes. */
function parseSetCookie(header: string): { pair: string; attributes: string[] } {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  return { pair: pair as string, attributes };
}

function maxAgeOf(header: string): number | undefined {
  const attribute = parseSetCookie(header).attributes.find((a) => /^max-age=/i.test(a));
  return attribute === undefined ? undefined : Number(attribute.slice('max-age='.length));
}

/** The configuration error a cookie configuration throws at construction. */
function cookieConfigError(cookie: unknown): SessionConfigError {
  let caught: unknown;
  try {
    createSessionManager({
      store: memoryStore(),
      secrets: SECRET,
      cookie: cookie as SessionCookieOptions,
    });
  } catch (error) {
    caught = error;
  }
  expect(caught, JSON.stringify(cookie)).toBeInstanceOf(SessionConfigError);
  const error = caught as SessionConfigError;
  expect(error).toBeInstanceOf(SessionError);
  expect(error.code).toBe('ERR_SESSION_CONFIG');
  expect(error.message).toContain(`\`${error.option}\``);
  return error;
}

function expectOption(cookie: unknown, option: string): void {
  expect(cookieConfigError(cookie).option, JSON.stringify(cookie)).toBe(option);
}

describe('S3: cookie name', () => {
  it('S3: the default cookie name is the generic `sid`', async () => {
    const { sessions } = setup();
    expect(sessions.cookieName).toBe('sid');
    const setCookie = await issueSetCookie(sessions);
    expect(setCookie.startsWith('sid=')).toBe(true);
    // Not a framework fingerprint.
    for (const fingerprint of [
      'connect.sid',
      'PHPSESSID',
      'JSESSIONID',
      'sessionid',
      'ASP.NET_SessionId',
    ]) {
      expect(sessions.cookieName).not.toBe(fingerprint);
    }
  });

  it('S3: the cookie name is configurable, for writing and for reading', async () => {
    const { sessions, store } = setup({ cookie: { name: '__Host-app' } });
    expect(sessions.cookieName).toBe('__Host-app');
    const setCookie = await issueSetCookie(sessions, 'data');
    expect(setCookie.startsWith('__Host-app=')).toBe(true);
    const value = parseSetCookie(setCookie).pair.slice('__Host-app='.length);
    expect((await visit(sessions, `__Host-app=${value}`)).value).toBe('data');
    store.reset();
    expect((await visit(sessions, `sid=${value}`)).isNew).toBe(true);
    expect(store.total).toBe(0);
  });
});

describe('S4: secure defaults', () => {
  it('S4: the default Set-Cookie has HttpOnly, Secure, explicit SameSite=Lax, Path=/ and no Domain', async () => {
    const { sessions } = setup();
    const { pair, attributes } = parseSetCookie(await issueSetCookie(sessions));
    expect(pair).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    expect([...attributes].sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure']);
    expect(attributes.some((a) => /^domain/i.test(a))).toBe(false);
  });

  it('S4: the same defaults come from the SessionCookie class when no options are given', () => {
    const header = new SessionCookie().serialize('value', undefined);
    expect([...parseSetCookie(header).attributes].sort()).toEqual([
      'HttpOnly',
      'Path=/',
      'SameSite=Lax',
      'Secure',
    ]);
  });

  it('S4: configured attributes appear as configured', async () => {
    const { sessions } = setup({
      cookie: {
        name: 'app',
        path: '/app',
        domain: 'example.com',
        sameSite: 'strict',
        priority: 'high',
        partitioned: true,
        httpOnly: false,
      },
    });
    const { attributes } = parseSetCookie(await issueSetCookie(sessions));
    expect([...attributes].sort()).toEqual([
      'Domain=example.com',
      'Partitioned',
      'Path=/app',
      'Priority=High',
      'SameSite=Strict',
      'Secure',
    ]);
  });
});

describe('S5: cookie prefixes', () => {
  it('S5: a __Host- name without Secure, with another path or with a domain throws at construction', () => {
    expectOption({ name: '__Host-sid', secure: false }, 'cookie.secure');
    expectOption({ name: '__Host-sid', path: '/app' }, 'cookie.path');
    expectOption({ name: '__Host-sid', domain: 'example.com' }, 'cookie.domain');
  });

  it('S5: a __Secure- name without Secure throws at construction', () => {
    expectOption({ name: '__Secure-sid', secure: false }, 'cookie.secure');
  });

  it('S5: valid prefixed configurations are accepted and produce conforming cookies', async () => {
    const host = parseSetCookie(
      await issueSetCookie(setup({ cookie: { name: '__Host-sid' } }).sessions),
    );
    expect(host.attributes).toContain('Secure');
    expect(host.attributes).toContain('Path=/');
    expect(host.attributes.some((a) => /^domain/i.test(a))).toBe(false);

    const secure = parseSetCookie(
      await issueSetCookie(
        setup({ cookie: { name: '__Secure-sid', path: '/app', domain: 'example.com' } }).sessions,
      ),
    );
    expect(secure.attributes).toContain('Secure');
    expect(secure.attributes).toContain('Domain=example.com');
  });

  // RFC 6265bis drafts (after httpwg/http-extensions#2231), Chrome and Firefox match the
  // prefixes case-insensitively: a `__host-sid` cookie that is not Secure is dropped silently.
  it('S5: prefixes are matched case-insensitively, as browsers do', () => {
    expectOption({ name: '__host-sid', secure: false }, 'cookie.secure');
    expectOption({ name: '__HOST-sid', path: '/app' }, 'cookie.path');
    expectOption({ name: '__secure-sid', secure: false }, 'cookie.secure');
  });
});

describe('S6: SameSite=None', () => {
  it('S6: SameSite=None without Secure throws at construction', () => {
    expectOption({ sameSite: 'none', secure: false }, 'cookie.sameSite');
  });

  it('S6: SameSite=None with Secure is accepted and written explicitly', async () => {
    const { attributes } = parseSetCookie(
      await issueSetCookie(setup({ cookie: { sameSite: 'none' } }).sessions),
    );
    expect(attributes).toContain('SameSite=None');
    expect(attributes).toContain('Secure');
  });

  it('S6: Partitioned without Secure throws at construction', () => {
    expectOption({ partitioned: true, secure: false }, 'cookie.partitioned');
  });
});

describe('S7: every cookie attribute is validated', () => {
  it('S7: invalid cookie names throw, naming cookie.name', () => {
    const names = [
      '',
      'sid;',
      'sid; Domain=evil.example',
      'sid\r',
      'sid\n',
      'sid\r\nSet-Cookie: a=b',
      'si=d',
      'sid=',
      'my sid',
      ' sid',
      'sid\t',
      's(id)',
      's"id"',
      's,id',
      's/id',
      's@id',
      's:id',
      's[id]',
      's{id}',
      's\\id',
      's?id',
      'sïd',
      '\u00a0sid',
      'sid\u0000',
      'сид',
      '🍪',
    ];
    for (const name of names) expectOption({ name }, 'cookie.name');
    // `null` and `undefined` mean "use the default".
    for (const name of [42, {}, ['sid']]) expectOption({ name }, 'cookie.name');
  });

  it('S7: invalid paths throw, naming cookie.path', () => {
    const paths = [
      '',
      'app',
      '/;Domain=evil.example',
      '/app;',
      '/\r\nSet-Cookie: a=b',
      '/\r',
      '/\n',
      '/a b',
      '/a\tb',
      '/\u0000',
      '/\u007f',
      '/é',
      '/\u00a0',
      '/🍪',
    ];
    for (const path of paths) expectOption({ path }, 'cookie.path');
    expectOption({ path: 42 }, 'cookie.path');
  });

  it('S7: a path the cookie serializer refuses still throws at construction', () => {
    const error = cookieConfigError({ path: '/a<b' });
    expect(['cookie', 'cookie.path']).toContain(error.option);
  });

  // Regression: our PATH rule once allowed "<", which only the serializer's safety net caught,
  // naming `cookie` instead of `cookie.path`.
  it('S7: a path with "<" is reported as cookie.path', () => {
    expectOption({ path: '/a<b' }, 'cookie.path');
  });

  it('S7: invalid domains throw, naming cookie.domain', () => {
    const domains = [
      '',
      'example.com; Secure',
      'example.com;',
      'exa mple.com',
      'example.com\r\n',
      'example.com\nSet-Cookie: a=b',
      'exämple.com',
      'example.com=',
      'example.com:8080',
      'exa_mple.com',
      '-example.com',
      'example-.com',
      'example..com',
      'example.com.',
      '..example.com',
      `${'a'.repeat(64)}.com`,
      `${'a.'.repeat(127)}com`,
      'example.com/path',
      'user@example.com',
      '*.example.com',
      '\u00a0example.com',
      'example.com\u0000',
      'ｅxample.com',
    ];
    for (const domain of domains) expectOption({ domain }, 'cookie.domain');
    expectOption({ domain: 42 }, 'cookie.domain');
  });

  it('S7: valid domains are accepted', async () => {
    for (const domain of [
      'example.com',
      '.example.com',
      'a.b-c.example',
      'localhost',
      'EXAMPLE.COM',
      `${'a'.repeat(63)}.com`,
    ]) {
      const { attributes } = parseSetCookie(
        await issueSetCookie(setup({ cookie: { domain } }).sessions),
      );
      expect(attributes).toContain(`Domain=${domain}`);
    }
  });

  it('S7: invalid sameSite values throw, naming cookie.sameSite', () => {
    for (const sameSite of [
      '',
      'Lax',
      'STRICT',
      'None',
      'lax; Domain=evil',
      'lax\r\n',
      'unset',
      true,
      1,
    ]) {
      expectOption({ sameSite }, 'cookie.sameSite');
    }
  });

  it('S7: invalid priority values throw, naming cookie.priority', () => {
    for (const priority of [
      '',
      'urgent',
      'High',
      'HIGH',
      'high; Domain=evil',
      'low\n',
      1,
      true,
      null,
    ]) {
      expectOption({ priority }, 'cookie.priority');
    }
  });

  it('S7: non-boolean flags throw, naming the flag', () => {
    for (const value of ['true', 'false', 1, 0, null, {}]) {
      expectOption({ httpOnly: value }, 'cookie.httpOnly');
      expectOption({ secure: value }, 'cookie.secure');
      expectOption({ partitioned: value }, 'cookie.partitioned');
    }
  });

  it('S7: no valid configuration can produce a Set-Cookie with CR, LF or an injected attribute', async () => {
    const { sessions } = setup({
      cookie: { name: 'a-b.c_d', path: '/x/y=z', domain: 'sub.example.com', priority: 'low' },
    });
    const header = await issueSetCookie(sessions);
    for (const c of ['\r', '\n', '\u0000']) expect(header.includes(c)).toBe(false);
    const { attributes } = parseSetCookie(header);
    expect(attributes.filter((a) => /^(domain|path)=/i.test(a))).toEqual([
      'Domain=sub.example.com',
      'Path=/x/y=z',
    ]);
  });
});

describe('S8: cookie lifetime', () => {
  it('S8: the default cookie is a browser-session cookie: no Max-Age, no Expires', async () => {
    const header = await issueSetCookie(setup().sessions);
    expect(parseSetCookie(header).attributes.some((a) => /^(max-age|expires)/i.test(a))).toBe(
      false,
    );
  });

  it('S8: a permanent session gets Max-Age no longer than min(idleTimeout, absoluteTimeout)', async () => {
    const cases: Array<[number, number]> = [
      [3600, 7200],
      [3600, 3600],
      [86_400, 604_800],
      [60, 61],
      [1.5, 10],
    ];
    for (const [idleTimeout, absoluteTimeout] of cases) {
      const clock = createTestClock();
      const { sessions } = setup({ permanent: true, idleTimeout, absoluteTimeout, now: clock.now });
      const header = await issueSetCookie(sessions);
      const maxAge = maxAgeOf(header);
      expect(maxAge, `${idleTimeout}/${absoluteTimeout}`).toBeDefined();
      expect(Number.isInteger(maxAge)).toBe(true);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(Math.min(idleTimeout, absoluteTimeout));
      expect(maxAge).toBeGreaterThanOrEqual(Math.floor(Math.min(idleTimeout, absoluteTimeout)) - 1);
      expect(header).not.toMatch(/expires=/i);
    }
  });

  it('S8: setPermanent(true) on one session gives that cookie a bounded Max-Age', async () => {
    const clock = createTestClock();
    const { sessions } = setup({ idleTimeout: 1800, absoluteTimeout: 3600, now: clock.now });
    const session = sessions.open(null);
    await session.set('k', 1);
    await session.setPermanent(true);
    const { setCookie } = await sessions.commit(session);
    expect(maxAgeOf(setCookie as string)).toBe(1800);
  });

  it('S8: a refreshed permanent cookie never outlives the absolute timeout', async () => {
    const clock = createTestClock();
    const { sessions } = setup({
      permanent: true,
      idleTimeout: 3600,
      absoluteTimeout: 5000,
      now: clock.now,
      store: memoryStore({ now: clock.now }),
    });
    const value = await issue(sessions);
    clock.advance(3000 * 1000);
    const { commit, isNew } = await visit(sessions, `sid=${value}`);
    expect(isNew).toBe(false);
    expect(commit.setCookie).toBeDefined();
    const maxAge = maxAgeOf(commit.setCookie as string) as number;
    // 2000 s of absolute lifetime remain, less than the 3600 s idle window.
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(2000);
  });
});

describe('S26: cookie size', () => {
  it('S26: a cookie whose name=value exceeds 4096 bytes is refused with SessionCookieTooLargeError', () => {
    const cookie = new SessionCookie();
    const value = 'v'.repeat(5000);
    let caught: unknown;
    try {
      cookie.serialize(value, undefined);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionCookieTooLargeError);
    expect(caught).toBeInstanceOf(SessionError);
    const error = caught as SessionCookieTooLargeError;
    expect(error.code).toBe('ERR_SESSION_COOKIE_TOO_LARGE');
    expect(SessionCookieTooLargeError.code).toBe('ERR_SESSION_COOKIE_TOO_LARGE');
    expect(error.bytes).toBe('sid='.length + 5000);
    // The value itself is not echoed in the message (S24).
    expect(error.message).not.toContain('vvvvvvvvvv');
  });

  it('S26: the limit is exactly 4096 bytes of name=value, whatever the name length', () => {
    const short = new SessionCookie();
    expect(() => short.serialize('a'.repeat(4096 - 4), undefined)).not.toThrow();
    expect(() => short.serialize('a'.repeat(4096 - 3), undefined)).toThrow(
      SessionCookieTooLargeError,
    );

    const longName = new SessionCookie({ name: 'n'.repeat(100) });
    expect(() => longName.serialize('a'.repeat(4096 - 101), 60)).not.toThrow();
    expect(() => longName.serialize('a'.repeat(4096 - 100), 60)).toThrow(
      SessionCookieTooLargeError,
    );
  });

  it('S26: attributes do not count towards the limit, only name=value', () => {
    const cookie = new SessionCookie({
      domain: `${'d'.repeat(60)}.example.com`,
      path: `/${'p'.repeat(500)}`,
    });
    const header = cookie.serialize('a'.repeat(4092), 3600);
    expect(header.length).toBeGreaterThan(4096);
  });
});

describe('S32: cookie header parsing follows browsers', () => {
  async function twoSessions() {
    const context = setup();
    const good = await issue(context.sessions, 'good');
    const evil = await issue(context.sessions, 'evil');
    return { ...context, good, evil };
  }

  it('S32: "\\u00a0sid=evil; sid=good" yields the session of good', async () => {
    const { sessions, good, evil } = await twoSessions();
    expect((await visit(sessions, `\u00a0sid=${evil}; sid=${good}`)).value).toBe('good');
  });

  it('S32: only space and tab are trimmed from names; other whitespace makes another cookie', async () => {
    const { sessions, store, good, evil } = await twoSessions();
    expect((await visit(sessions, ` \t sid=${good}`)).value).toBe('good');
    expect((await visit(sessions, `sid \t=${good}`)).value).toBe('good');
    const others = [
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
      '\u200b',
      '\u000b',
      '\u000c',
      '\u0085',
      '\u180e',
      '\r',
      '\n',
    ];
    for (const ws of others) {
      const label = `U+${ws.charCodeAt(0).toString(16)}`;
      expect((await visit(sessions, `${ws}sid=${evil}; sid=${good}`)).value, label).toBe('good');
      expect((await visit(sessions, `sid${ws}=${evil}; sid=${good}`)).value, label).toBe('good');
      store.reset();
      const alone = await visit(sessions, `${ws}sid=${evil}`);
      expect(alone.isNew, label).toBe(true);
      expect(store.total, label).toBe(0);
    }
  });

  it('S32: duplicate names: the first one wins (documented rule)', async () => {
    const { sessions, good, evil } = await twoSessions();
    expect((await visit(sessions, `sid=${good}; sid=${evil}`)).value).toBe('good');
    expect((await visit(sessions, `sid=${evil}; sid=${good}`)).value).toBe('evil');
    expect((await visit(sessions, `theme=dark;sid=${good};sid=${evil}`)).value).toBe('good');
  });

  it('S32: the first one wins even when it is invalid: no fallback to a later duplicate', async () => {
    const { sessions, store, good } = await twoSessions();
    for (const first of ['', 'garbage', `${good.slice(0, 86)}x`, `\u00a0${good}`]) {
      store.reset();
      const result = await visit(sessions, `sid=${first}; sid=${good}`);
      expect(result.isNew, JSON.stringify(first)).toBe(true);
      expect(store.total).toBe(0);
    }
  });

  it('S32: a value padded with NBSP is not trimmed, so it is refused', async () => {
    const { sessions, store, good } = await twoSessions();
    for (const header of [`sid=\u00a0${good}`, `sid=${good}\u00a0`, `sid=${good}\u3000`]) {
      store.reset();
      expect((await visit(sessions, header)).isNew).toBe(true);
      expect(store.total).toBe(0);
    }
    // Space and tab around the value are trimmed, like browsers do.
    expect((await visit(sessions, `sid= \t${good}\t `)).value).toBe('good');
  });
});

describe('S33: bounded work per request', () => {
  async function expectNewWithoutStore(
    sessions: Manager,
    store: ReturnType<typeof setup>['store'],
    header: string,
  ) {
    store.reset();
    const result = await visit(sessions, header);
    expect(result.isNew).toBe(true);
    expect(result.value).toBeUndefined();
    expect(result.commit.setCookie).toBeUndefined();
    expect(store.total).toBe(0);
  }

  it('S33: a 1 MB cookie header is handled without throwing and gives a new session', async () => {
    const { sessions, store } = setup();
    await issue(sessions);
    const megabyte = 1024 * 1024;
    const headers = [
      `sid=${'A'.repeat(megabyte)}`,
      `sid=${'A'.repeat(43)}.${'A'.repeat(megabyte)}`,
      `${'x=y; '.repeat(megabyte / 5)}sid=${'A'.repeat(100)}`,
      `${'a;'.repeat(megabyte / 2)}sid=bad`,
      `${'sid;'.repeat(megabyte / 4)}=`,
      ';'.repeat(megabyte),
      '='.repeat(megabyte),
      'sid'.repeat(megabyte / 3),
      `${'sid='.repeat(megabyte / 4)}`,
      ` ${'\t'.repeat(megabyte)}sid=x`,
      `sid=${'\u00a0'.repeat(megabyte)}`,
      `sid=${'é'.repeat(megabyte)}`,
    ];
    for (const header of headers) await expectNewWithoutStore(sessions, store, header);
    // Through a Request as well.
    store.reset();
    const request = new Request('https://example.test/', {
      headers: { cookie: `sid=${'A'.repeat(megabyte)}` },
    });
    expect((await visit(sessions, request)).isNew).toBe(true);
    expect(store.total).toBe(0);
  });

  it('S33: 10,000 cookies are handled without throwing', async () => {
    const { sessions, store } = setup();
    const good = await issue(sessions, 'good');
    const many = Array.from({ length: 10_000 }, (_, i) => `c${i}=v${i}`).join('; ');
    await expectNewWithoutStore(sessions, store, many);
    await expectNewWithoutStore(sessions, store, `${many}; sid=garbage`);
    await expectNewWithoutStore(
      sessions,
      store,
      Array.from({ length: 10_000 }, (_, i) => `sid=${i}`).join('; '),
    );
    // The real cookie is still found among them (control).
    expect((await visit(sessions, `${many}; sid=${good}`)).value).toBe('good');
    expect(
      (await visit(sessions, `sid=${good}; ${Array(10_000).fill(`sid=${good}`).join('; ')}`)).value,
    ).toBe('good');
  });

  it('S33: huge numbers as values are handled without throwing and give a new session', async () => {
    const { sessions, store } = setup();
    const values = [
      '9'.repeat(100_000),
      '1e308',
      '1e309',
      '-1',
      '-0',
      'NaN',
      'Infinity',
      `0x${'f'.repeat(1000)}`,
      String(Number.MAX_SAFE_INTEGER),
      `${2n ** 4096n}`,
      '1'.repeat(87),
      `${'1'.repeat(43)}.${'1'.repeat(43)}`,
    ];
    for (const value of values) await expectNewWithoutStore(sessions, store, `sid=${value}`);
  });
});
