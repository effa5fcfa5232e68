import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

describe('CSRF tokens bound to the session', () => {
  it('F4: the token is created on first use, saved, and the same on the next request', async () => {
    const { request } = setup();
    const first = await request(null, (s) => s.csrfToken());
    expect(first.result).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = cookiePair(first.setCookie);
    const again = await request(cookie, async (s) => [
      await s.csrfToken(),
      await s.verifyCsrfToken(first.result),
      await s.keys(),
    ]);
    expect(again.result).toEqual([first.result, true, []]);
    // Another visitor gets another token, which does not verify here.
    const other = await request(null, (s) => s.csrfToken());
    expect(other.result).not.toBe(first.result);
    expect((await request(cookie, (s) => s.verifyCsrfToken(other.result))).result).toBe(false);
  });

  it('F4: forged, empty, wrong-length and non-string tokens are refused without a throw', async () => {
    const { request } = setup();
    const issued = await request(null, (s) => s.csrfToken());
    const cookie = cookiePair(issued.setCookie);
    const token = issued.result;
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    const lastFlipped = token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A');
    const hostile: unknown[] = [
      flipped,
      lastFlipped,
      '',
      token.slice(0, -1),
      `${token}A`,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      undefined,
      null,
      43,
      { toString: () => token },
      [token],
      'x'.repeat(100_000),
    ];
    const { result } = await request(cookie, async (s) =>
      Promise.all(hostile.map((candidate) => s.verifyCsrfToken(candidate))),
    );
    expect(result).toEqual(hostile.map(() => false));
    expect((await request(cookie, (s) => s.verifyCsrfToken(token))).result).toBe(true);
  });

  it('F4: a session that never issued a token verifies nothing (not even an empty string)', async () => {
    const { request } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('x', 1))).setCookie);
    const { result } = await request(cookie, async (s) => [
      await s.verifyCsrfToken(''),
      await s.verifyCsrfToken(undefined),
    ]);
    expect(result).toEqual([false, false]);
  });

  it('F4: regenerate() rotates the token: the old one is refused, a new one is issued', async () => {
    const { request } = setup();
    const issued = await request(null, async (s) => {
      await s.set('user', 'ada');
      return s.csrfToken();
    });
    const old = issued.result;
    const login = await request(cookiePair(issued.setCookie), (s) => s.regenerate());
    const cookie = cookiePair(login.setCookie);
    const { result } = await request(cookie, async (s) => [
      await s.verifyCsrfToken(old),
      await s.csrfToken(),
    ]);
    expect(result[0]).toBe(false);
    expect(result[1]).not.toBe(old);
    expect((await request(cookie, (s) => s.verifyCsrfToken(result[1]))).result).toBe(true);
  });

  it('F4: destroy() drops the token, and clear() keeps it', async () => {
    const { request } = setup();
    const issued = await request(null, (s) => s.csrfToken());
    const cookie = cookiePair(issued.setCookie);
    await request(cookie, async (s) => {
      await s.set('x', 1);
      await s.clear();
    });
    expect((await request(cookie, (s) => s.verifyCsrfToken(issued.result))).result).toBe(true);
    await request(cookie, (s) => s.destroy());
    expect((await request(cookie, (s) => s.verifyCsrfToken(issued.result))).result).toBe(false);
  });
});
