import { SessionNotSupportedError } from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';
import { deviceLabel } from '../src/device-label.js';
import { cookiePair, setup } from './helpers.js';

describe('per-user sessions in the core', () => {
  it('labels devices coarsely from the User-Agent of the login request', async () => {
    const { sessions } = setup();
    const session = sessions.open(
      new Request('https://app.test/login', {
        headers: {
          'user-agent':
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
        },
      }),
    );
    await session.bindUser('ada');
    const cookie = cookiePair((await sessions.commit(session)).setCookie);
    expect(await sessions.listSessions('ada')).toEqual([
      expect.objectContaining({ device: 'Firefox on Windows', current: false }),
    ]);
    expect(await sessions.open(cookie).userId()).toBe('ada');
  });

  it('device labels name a browser and a system, never a version', () => {
    const cases: Array<[string, string]> = [
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
        'Safari on macOS',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
        'Chrome on Android',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Safari on iOS',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0',
        'Edge on Windows',
      ],
      ['curl/8.5.0', 'Unknown device'],
    ];
    for (const [ua, label] of cases) expect(deviceLabel(ua)).toBe(label);
    expect(deviceLabel(null)).toBeUndefined();
  });

  it('binding a user to an existing session writes it once, and rebinding the same user writes nothing', async () => {
    const { request, store } = setup();
    const cookie = cookiePair((await request(null, (s) => s.set('a', 1))).setCookie);
    store.reset();
    const { setCookie } = await request(cookie, (s) => s.bindUser('ada', { device: 'desk' }));
    expect(setCookie).toBeUndefined();
    expect(store.calls.write).toBe(1);
    await request(cookie, (s) => s.bindUser('ada', { device: 'desk' }));
    expect(store.calls.write).toBe(1);
  });

  it('says clearly when the store keeps no per-user index', async () => {
    const { memory } = setup();
    const { sessions } = setup({
      store: { name: 'plain', load: memory.load, write: memory.write, delete: memory.delete },
    });
    await expect(sessions.listSessions('ada')).rejects.toBeInstanceOf(SessionNotSupportedError);
    await expect(sessions.revokeAllSessions('ada')).rejects.toBeInstanceOf(
      SessionNotSupportedError,
    );
    expect(await sessions.revokeSession('ada', 'not-a-handle')).toBe(false);
  });
});

describe('revocation and regenerate in flight', () => {
  it('S21: a request that regenerates a session revoked meanwhile does not carry it over to a new ID', async () => {
    const { sessions, request, memory } = setup();
    const { setCookie } = await request(null, async (s) => {
      await s.bindUser('ada');
      await s.set('user', 'ada');
    });
    const cookie = cookiePair(setCookie);
    const inFlight = sessions.open(cookie);
    await inFlight.regenerate();
    await inFlight.set('elevated', true);
    expect(await sessions.revokeAllSessions('ada')).toBe(1);
    const commit = await sessions.commit(inFlight);
    expect(commit.setCookie).toMatch(/^sid=; Max-Age=0/);
    expect(memory.size).toBe(0);
    expect(await sessions.listSessions('ada')).toEqual([]);
  });

  it('revokeAllSessions() counts only sessions that were still there', async () => {
    const { sessions, request } = setup();
    for (let i = 0; i < 3; i++) {
      await request(null, (s) => s.bindUser('ada'));
    }
    const [count, again] = await Promise.all([
      sessions.revokeAllSessions('ada'),
      sessions.revokeAllSessions('ada'),
    ]);
    expect(count + again).toBe(3);
  });
});
