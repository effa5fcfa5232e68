import { cookieStore } from '@fetch-session/cookie';
import { createSessionManager } from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { createTestClock } from '@fetch-session/core/testing';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';

const OLD = 'old-cookie-secret-0123456789abcdefghijkl';
const NEW = 'new-cookie-secret-0123456789abcdefghijkl';

function value(setCookie: string | undefined): string {
  return (setCookie as string).split(';')[0]?.slice('sid='.length) as string;
}

async function issue(secrets: string[], data: Record<string, unknown>) {
  const sessions = createSessionManager({ store: cookieStore({ secrets }) });
  const session = sessions.open(null);
  for (const [key, v] of Object.entries(data)) await session.set(key, v);
  return value((await sessions.commit(session)).setCookie);
}

describe('cookie store', () => {
  it('seals with JWE dir + A256GCM and a key ID, and no plaintext', async () => {
    const sealed = await issue([NEW], { user: 'ada-lovelace' });
    expect(decodeProtectedHeader(sealed)).toMatchObject({
      alg: 'dir',
      enc: 'A256GCM',
      kid: expect.any(String),
    });
    expect(sealed.split('.')).toHaveLength(5);
    const decoded = sealed
      .split('.')
      .map((part) =>
        atob(
          part
            .replaceAll('-', '+')
            .replaceAll('_', '/')
            .padEnd(Math.ceil(part.length / 4) * 4, '='),
        ),
      )
      .join('');
    expect(decoded).not.toContain('ada-lovelace');
  });

  it('rotation: opens with an older secret, then re-seals with the newest on the next response', async () => {
    const oldCookie = await issue([OLD], { user: 'ada' });
    const rotated = createSessionManager({ store: cookieStore({ secrets: [NEW, OLD] }) });
    const session = rotated.open(`sid=${oldCookie}`);
    expect(await session.get('user')).toBe('ada');
    const { setCookie } = await rotated.commit(session);
    const resealed = value(setCookie);
    expect(resealed).not.toBe(oldCookie);
    expect(decodeProtectedHeader(resealed).kid).not.toBe(decodeProtectedHeader(oldCookie).kid);
    // Only the new secret is needed from now on.
    const newOnly = createSessionManager({ store: cookieStore({ secrets: [NEW] }) });
    expect(await newOnly.open(`sid=${resealed}`).get('user')).toBe('ada');
    expect(await newOnly.open(`sid=${oldCookie}`).isNew()).toBe(true);
  });

  it('a cookie sealed with the newest secret is not re-sealed on a read', async () => {
    const sealed = await issue([NEW, OLD], { user: 'ada' });
    const sessions = createSessionManager({ store: cookieStore({ secrets: [NEW, OLD] }) });
    const session = sessions.open(`sid=${sealed}`);
    await session.get('user');
    expect((await sessions.commit(session)).setCookie).toBeUndefined();
  });

  it('keeps the expiry inside the token: an old copy stops working at the idle deadline', async () => {
    const clock = createTestClock();
    const sessions = createSessionManager({
      store: cookieStore({ secrets: NEW, now: clock.now }),
      now: clock.now,
      idleTimeout: 600,
    });
    const session = sessions.open(null);
    await session.set('user', 'ada');
    const sealed = value((await sessions.commit(session)).setCookie);
    clock.advance(601_000);
    // The store alone refuses it (the token's exp), not only the manager's timestamps.
    expect(await cookieStore({ secrets: NEW, now: clock.now }).unseal(sealed)).toBeUndefined();
    expect(await sessions.open(`sid=${sealed}`).isNew()).toBe(true);
  });

  it('rejects short or missing secrets at construction, naming the option', () => {
    expect(() => cookieStore({ secrets: 'short' })).toThrowError(
      expect.objectContaining({ option: 'secrets[0]' }),
    );
    expect(() => cookieStore({ secrets: [NEW, 'short'] })).toThrowError(
      expect.objectContaining({ option: 'secrets[1]' }),
    );
    expect(() => cookieStore({ secrets: [] })).toThrow(SessionConfigError);
  });

  it('needs no secrets on the manager', async () => {
    expect(await issue([NEW], { a: 1 })).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('per-user sessions', () => {
  it('cannot list or revoke: a typed "not supported" error, by design', async () => {
    const { SessionNotSupportedError } = await import('@fetch-session/core/errors');
    const sessions = createSessionManager({ store: cookieStore({ secrets: NEW }) });
    await expect(sessions.listSessions('ada')).rejects.toBeInstanceOf(SessionNotSupportedError);
    await expect(sessions.revokeAllSessions('ada')).rejects.toBeInstanceOf(
      SessionNotSupportedError,
    );
    await expect(sessions.revokeSession('ada', 'x'.repeat(43))).rejects.toBeInstanceOf(
      SessionNotSupportedError,
    );
  });
});

describe('metadata through a seal/unseal round trip (the store kit rules)', () => {
  const meta = { createdAt: 1_000, lastSeenAt: 2_000, permanent: true };
  const expiresAt = Date.UTC(2100, 0, 1);

  it('keeps userId and device', async () => {
    const store = cookieStore({ secrets: NEW });
    const record = {
      meta: { ...meta, userId: 'ada', device: 'Firefox on Linux' },
      fields: { 'd:a': '1' },
    };
    const opened = await store.unseal(await store.seal(record, { expiresAt }));
    expect(opened?.record).toEqual(record);
  });

  it('keeps them through a session manager: bindUser, then a later request', async () => {
    const store = cookieStore({ secrets: NEW });
    const sessions = createSessionManager({ store });
    const first = sessions.open(null);
    await first.bindUser('ada', { device: 'Safari on iOS' });
    const sealed = value((await sessions.commit(first)).setCookie);
    expect((await store.unseal(sealed))?.record.meta).toMatchObject({
      userId: 'ada',
      device: 'Safari on iOS',
    });
    const second = sessions.open(`sid=${sealed}`);
    expect(await second.userId()).toBe('ada');
  });

  it('seals only the known metadata properties', async () => {
    const store = cookieStore({ secrets: NEW });
    const extra = { ...meta, role: 'admin' } as typeof meta;
    const opened = await store.unseal(await store.seal({ meta: extra, fields: {} }, { expiresAt }));
    expect(opened?.record.meta).toEqual(meta);
  });

  it('opens a token with mistyped metadata as no session', async () => {
    const store = cookieStore({ secrets: NEW });
    for (const bad of [
      { ...meta, device: 7 },
      { ...meta, userId: null },
      { ...meta, createdAt: '1' },
    ]) {
      const sealed = await store.seal({ meta: bad as never, fields: {} }, { expiresAt });
      expect(await store.unseal(sealed)).toBeUndefined();
    }
    const sealed = await store.seal({ meta, fields: { 'd:a': 1 as never } }, { expiresAt });
    expect(await store.unseal(sealed)).toBeUndefined();
  });
});
