import { createSessionManager, type SessionOptions } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

function manager(options: Partial<SessionOptions> = {}) {
  return createSessionManager({ store: memoryStore(), secrets: SECRET, ...options });
}

/** The `Set-Cookie` of a first write over `request`, opened with `open` options. */
async function setCookieOf(
  sessions: ReturnType<typeof manager>,
  request: Request,
  open: Parameters<ReturnType<typeof manager>['open']>[1] = {},
): Promise<string> {
  const session = sessions.open(request, open);
  await session.set('x', 1);
  return (await sessions.commit(session)).setCookie as string;
}

const secure = (header: string) => /;\s*Secure/i.test(header);

describe("cookie.secure: 'auto' and trustProxy", () => {
  it("F6: 'auto' sets Secure over https and not over plain http", async () => {
    const sessions = manager({ cookie: { secure: 'auto' } });
    expect(secure(await setCookieOf(sessions, new Request('https://app.example/')))).toBe(true);
    expect(secure(await setCookieOf(sessions, new Request('http://10.0.0.5/')))).toBe(false);
  });

  it('F6: a spoofed X-Forwarded-Proto is ignored without trustProxy', async () => {
    const sessions = manager({ cookie: { secure: 'auto' } });
    const spoofed = new Request('http://app.internal/', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(secure(await setCookieOf(sessions, spoofed))).toBe(false);
  });

  it('F6: with trustProxy: true, X-Forwarded-Proto: https (first value) sets Secure', async () => {
    const sessions = manager({ cookie: { secure: 'auto' }, trustProxy: true });
    const via = (proto: string) =>
      new Request('http://app.internal/', { headers: { 'x-forwarded-proto': proto } });
    expect(secure(await setCookieOf(sessions, via('https')))).toBe(true);
    expect(secure(await setCookieOf(sessions, via('https, http')))).toBe(true);
    expect(secure(await setCookieOf(sessions, via('http, https')))).toBe(false);
    expect(secure(await setCookieOf(sessions, via('httpsx')))).toBe(false);
    expect(secure(await setCookieOf(sessions, via('h'.repeat(10_000))))).toBe(false);
  });

  it('F6: a trustProxy function decides per request; one that throws means no trust', async () => {
    let calls = 0;
    const sessions = manager({
      cookie: { secure: 'auto' },
      trustProxy: (request) => {
        calls++;
        const hop = (request instanceof Headers ? request : request.headers).get('x-hop');
        if (hop === 'boom') throw new Error('bug');
        return hop === 'proxy-1';
      },
    });
    const via = (hop: string) =>
      new Request('http://app.internal/', {
        headers: { 'x-forwarded-proto': 'https', 'x-hop': hop },
      });
    expect(secure(await setCookieOf(sessions, via('proxy-1')))).toBe(true);
    expect(secure(await setCookieOf(sessions, via('attacker')))).toBe(false);
    expect(secure(await setCookieOf(sessions, via('boom')))).toBe(false);
    expect(calls).toBe(3);
  });

  it("F6: 'auto' with attributes that require Secure, or a bad trustProxy, is a SessionConfigError", () => {
    for (const cookie of [
      { secure: 'auto' as const, name: '__Host-sid' },
      { secure: 'auto' as const, sameSite: 'none' as const },
      { secure: 'auto' as const, partitioned: true },
    ]) {
      expect(() => manager({ cookie })).toThrow(
        expect.objectContaining({ option: 'cookie.secure' }),
      );
    }
    expect(() => manager({ trustProxy: 'yes' as never })).toThrow(
      expect.objectContaining({ option: 'trustProxy' }),
    );
  });
});

describe('per-request cookie options', () => {
  it('F6: open(input, { cookie }) overrides attributes for that request only', async () => {
    const sessions = manager({ cookie: { path: '/' } });
    const request = new Request('https://a.example/');
    const tenant = await setCookieOf(sessions, request, {
      cookie: { domain: 'a.example', path: '/app' },
    });
    expect(tenant).toMatch(/Domain=a\.example/);
    expect(tenant).toMatch(/Path=\/app/);
    const plain = await setCookieOf(sessions, request);
    expect(plain).not.toMatch(/Domain=/);
    expect(plain).toMatch(/Path=\/(;|$)/);
  });

  it('F6: bad per-request options throw a SessionConfigError naming the option', () => {
    const sessions = manager();
    const request = new Request('https://a.example/');
    for (const [cookie, option] of [
      [{ domain: 'a.example; Secure=false' }, 'cookie.domain'],
      [{ path: '/;x' }, 'cookie.path'],
      [{ sameSite: 'none', secure: false }, 'cookie.sameSite'],
      [{ name: 'other' }, 'cookie.name'],
    ] as const) {
      expect(() => sessions.open(request, { cookie: cookie as never })).toThrow(
        expect.objectContaining({ option }),
      );
    }
  });
});

describe("secure: 'auto' and the insecure-transport hint", () => {
  it("F6: 'auto' over plain http to a LAN host sets no Secure, so no insecure-transport event", async () => {
    const events: string[] = [];
    const sessions = manager({ cookie: { secure: 'auto' }, onEvent: (e) => events.push(e.type) });
    expect(secure(await setCookieOf(sessions, new Request('http://192.168.1.20:3000/')))).toBe(
      false,
    );
    expect(events).not.toContain('insecure-transport');
    const strict = manager({ onEvent: (e) => events.push(e.type) });
    await setCookieOf(strict, new Request('http://192.168.1.20:3000/'));
    expect(events).toContain('insecure-transport');
  });
});

describe('a header lookup as the input (what the Node adapter passes)', () => {
  const lookup = (headers: Record<string, string>) => ({
    get: (name: string) => headers[name] ?? null,
  });

  it('reads the cookie and X-Forwarded-Proto from it, like a Request', async () => {
    const sessions = manager({ cookie: { secure: 'auto' }, trustProxy: true });
    const first = sessions.open(lookup({ 'x-forwarded-proto': 'https' }), {
      url: 'http://internal:3000/',
    });
    await first.set('x', 1);
    const setCookie = (await sessions.commit(first)).setCookie as string;
    expect(secure(setCookie)).toBe(true);
    const cookie = setCookie.split(';')[0] as string;
    const again = sessions.open(lookup({ cookie }));
    expect(await again.get('x')).toBe(1);
  });

  it('a trustProxy function is not asked about a bare lookup: no trust, no call', async () => {
    const asked: unknown[] = [];
    const sessions = manager({
      cookie: { secure: 'auto' },
      trustProxy: (request) => {
        asked.push(request);
        return true;
      },
    });
    const session = sessions.open(lookup({ 'x-forwarded-proto': 'https' }), {
      url: 'http://internal:3000/',
    });
    await session.set('x', 1);
    expect(secure((await sessions.commit(session)).setCookie as string)).toBe(false);
    expect(asked).toEqual([]);
  });
});
