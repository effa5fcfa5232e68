import { decodeMeta, encodeMeta, parseMeta } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

const MINUTE = 60_000;

describe('F2: session age and freshness', () => {
  it('F2: times() reports createdAt, lastSeenAt and expiresAt of a stored session', async () => {
    const { sessions, clock, request } = setup({ idleTimeout: 3600, absoluteTimeout: 86_400 });
    const start = clock.now();
    const first = await request(null, async (session) => {
      await session.set('a', 1);
      return session.times();
    });
    expect(first.result).toBeUndefined(); // not stored yet
    const cookie = cookiePair(first.setCookie);
    clock.advance(10 * MINUTE);
    const read = sessions.open(cookie, { readOnly: true });
    expect(await read.times()).toEqual({
      createdAt: start,
      lastSeenAt: start,
      expiresAt: start + 3_600_000,
      authenticatedAt: undefined,
    });
  });

  it('F2: bindUser() stamps authenticatedAt; isFresh() counts from it by the manager clock', async () => {
    const { sessions, clock, request } = setup();
    const loginAt = clock.now();
    const login = await request(null, (session) => session.bindUser('u1'));
    const cookie = cookiePair(login.setCookie);
    clock.advance(10 * MINUTE - 1);
    const read = sessions.open(cookie, { readOnly: true });
    expect((await read.times())?.authenticatedAt).toBe(loginAt);
    expect(await read.isFresh(600)).toBe(true);
    clock.advance(1);
    expect(await sessions.open(cookie, { readOnly: true }).isFresh(600)).toBe(false);
  });

  it('F2: markAuthenticated() refreshes freshness and is kept across regenerate()', async () => {
    const { clock, request } = setup();
    const login = await request(null, (session) => session.bindUser('u1'));
    clock.advance(30 * MINUTE);
    const stale = await request(cookiePair(login.setCookie), (session) => session.isFresh(600));
    expect(stale.result).toBe(false);
    const reauth = await request(cookiePair(login.setCookie), async (session) => {
      await session.markAuthenticated();
      await session.regenerate();
    });
    const reauthAt = clock.now();
    clock.advance(MINUTE);
    const after = await request(cookiePair(reauth.setCookie), async (session) => ({
      fresh: await session.isFresh(600),
      at: (await session.times())?.authenticatedAt,
    }));
    expect(after.result).toEqual({ fresh: true, at: reauthAt });
  });

  it('F2: markAuthenticated() alone is saved (a metadata-only change is written)', async () => {
    const { clock, request } = setup({ touchAfter: 3600 });
    const login = await request(null, (session) => session.bindUser('u1'));
    clock.advance(20 * MINUTE);
    await request(cookiePair(login.setCookie), (session) => session.markAuthenticated());
    const check = await request(cookiePair(login.setCookie), (session) => session.isFresh(60));
    expect(check.result).toBe(true);
  });

  it('F2: a session that never authenticated is not fresh; destroy() forgets it', async () => {
    const { request } = setup();
    const anonymous = await request(null, async (session) => {
      await session.set('a', 1);
      return session.isFresh(600);
    });
    expect(anonymous.result).toBe(false);
    const login = await request(null, (session) => session.bindUser('u1'));
    const destroyed = await request(cookiePair(login.setCookie), async (session) => {
      await session.destroy();
      return session.isFresh(600);
    });
    expect(destroyed.result).toBe(false);
  });

  it('F2: isFresh() refuses a bad max age', async () => {
    const { sessions } = setup();
    await expect(sessions.open(null).isFresh(Number.NaN)).rejects.toThrow(TypeError);
    await expect(sessions.open(null).isFresh(-1)).rejects.toThrow(TypeError);
  });

  it('F2: the store kit encodes and checks authenticatedAt', () => {
    const meta = { createdAt: 1, lastSeenAt: 2, permanent: false, authenticatedAt: 3 };
    expect(decodeMeta(encodeMeta(meta))).toEqual(meta);
    expect(parseMeta({ createdAt: 1, lastSeenAt: 2, permanent: false })).not.toHaveProperty(
      'authenticatedAt',
    );
    expect(() => parseMeta({ ...meta, authenticatedAt: '3' })).toThrow(/mistyped/);
  });
});
