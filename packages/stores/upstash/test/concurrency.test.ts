/**
 * Many concurrent commits, with random latency on the REST server so requests interleave:
 * patches of different keys all survive, nothing resurrects a destroyed session (S21), and a
 * user's index agrees with the sessions after logins race a "log out everywhere".
 */
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf, userIndexKeyOf } from './support/keys.js';
import { startUpstashRestServer, type UpstashRestServer } from './support/upstash-rest-server.js';

/** The interface has no default type arguments (createSessionManager does). */
type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

const COMMITS = 200;
const SECRET = 'concurrency-test-secret-0123456789abcdef';

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
});
afterAll(() => server.close());
afterEach(() => server.setLatency(0));

describe.each(CLIENT_VARIANTS)('concurrent commits ($label)', ({ autoPipelining }) => {
  let sessions: Manager;
  let skipped = 0;
  beforeAll(() => {
    sessions = createSessionManager({
      store: upstashStore({ redis: testClient(server, { autoPipelining }) }),
      secrets: SECRET,
      // 55 logins of one user below: above the default per-user cap (H7), which would evict.
      maxSessionsPerUser: 100,
      onEvent: (event) => {
        if (event.type === 'write-skipped') skipped++;
      },
    });
  });

  /** One request's commit; returns the cookie to carry on. */
  async function login(): Promise<string> {
    const session = sessions.open('');
    await session.set('base', 0);
    const { setCookie } = await sessions.commit(session);
    return (setCookie as string).split(';')[0] as string;
  }

  /** The session's hash as Redis holds it, `undefined` when there is none. */
  async function stored(cookie: string): Promise<Record<string, string> | undefined> {
    const key = storeKeyOf(cookie);
    return (await server.redis.exists(key)) ? server.redis.hgetall(key) : undefined;
  }

  it(`${COMMITS} concurrent requests, each setting its own key: every key survives`, async () => {
    const cookie = await login();
    server.setLatency(15, { jitter: true });
    // Every request loads before any commits, so each commit races all the others.
    const opened = await Promise.all(
      Array.from({ length: COMMITS }, async (_, i) => {
        const session = sessions.open(cookie);
        await session.set(`k${i}`, i);
        return session;
      }),
    );
    const commits = await Promise.all(opened.map((session) => sessions.commit(session)));
    expect(commits.every((commit) => commit.setCookie === undefined)).toBe(true);
    server.setLatency(0);
    const fields = await stored(cookie);
    expect(Object.keys(fields ?? {})).toHaveLength(COMMITS + 2); // + d:base + _meta
    for (let i = 0; i < COMMITS; i++) expect(fields?.[`d:k${i}`]).toBe(String(i));
  });

  it('concurrent writers of one key leave one of their values, and their own keys', async () => {
    const cookie = await login();
    server.setLatency(10, { jitter: true });
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const session = sessions.open(cookie);
        await session.set('shared', i);
        await session.set(`own${i}`, true);
        await sessions.commit(session);
      }),
    );
    server.setLatency(0);
    const fields = (await stored(cookie)) ?? {};
    expect(Number(fields['d:shared'])).toBeGreaterThanOrEqual(0);
    expect(Number(fields['d:shared'])).toBeLessThan(50);
    for (let i = 0; i < 50; i++) expect(fields[`d:own${i}`]).toBe('true');
  });

  it(`${COMMITS} commits racing destroy(): the session is never resurrected (S21)`, async () => {
    const cookie = await login();
    const opened = await Promise.all(
      Array.from({ length: COMMITS }, async (_, i) => {
        const session = sessions.open(cookie);
        await session.set(`late${i}`, i); // loaded before the destroy
        return session;
      }),
    );
    const destroyer = sessions.open(cookie);
    await destroyer.isNew();
    server.setLatency(10, { jitter: true });
    skipped = 0;
    // Half the commits race the destroy; the other half start only once it is done, so the
    // race is certain to have losers whatever the timing (no reliance on timers: issue 11.3).
    const racing = opened.slice(0, COMMITS / 2);
    const after = opened.slice(COMMITS / 2);
    const [raced, destroyed] = await Promise.all([
      Promise.all(racing.map((session) => sessions.commit(session))),
      (async () => {
        await destroyer.destroy();
        return sessions.commit(destroyer);
      })(),
    ]);
    const late = await Promise.all(after.map((session) => sessions.commit(session)));
    const results = [...raced, ...late, destroyed];
    server.setLatency(0);
    expect(results.at(-1)?.setCookie).toMatch(/Max-Age=0/);
    expect(await stored(cookie)).toBeUndefined();
    // Every commit after the delete was refused ('conflict'), and none minted a new session.
    expect(skipped).toBeGreaterThanOrEqual(after.length);
    expect(results.slice(0, -1).every((commit) => commit.setCookie === undefined)).toBe(true);
  });

  it('50 concurrent logins of one user racing revokeAllSessions(): the list and the sessions agree', async () => {
    const userId = `race-${autoPipelining}-${Math.random()}`;
    const index = userIndexKeyOf(userId);
    const login = async (i: number): Promise<string> => {
      const session = sessions.open('');
      await session.bindUser(userId, { device: `device ${i}` });
      await session.set('user', userId);
      const { setCookie } = await sessions.commit(session);
      return (setCookie as string).split(';')[0] as string;
    };
    const loads = async (cookie: string) => (await sessions.open(cookie).get('user')) === userId;
    // Sessions from before the race: the revocation must end them whatever else happens.
    const before = await Promise.all(Array.from({ length: 5 }, (_, i) => login(i)));
    // Also loads the list script into Redis's cache: no NOSCRIPT detour to skew the race.
    expect(await sessions.listSessions(userId)).toHaveLength(5);
    server.setLatency(10, { jitter: true });
    // Logins run side by side with the revocation: wherever each lands, the assertions below
    // hold (they count, they do not assume an order).
    const [racing, revoked] = await Promise.all([
      Promise.all(Array.from({ length: 50 }, (_, i) => login(i))),
      sessions.revokeAllSessions(userId),
    ]);
    server.setLatency(0);
    const cookies = [...before, ...racing];
    expect(new Set(cookies).size).toBe(55);
    for (const cookie of before) expect(await loads(cookie)).toBe(false);
    expect(revoked).toBeGreaterThanOrEqual(before.length);

    const alive = new Set<string>();
    for (const cookie of cookies) if (await loads(cookie)) alive.add(storeKeyOf(cookie));
    expect(alive.size).toBe(55 - revoked);
    // Listed exactly when it still loads: nothing revoked is listed, nothing alive is hidden.
    const listed = await sessions.listSessions(userId);
    expect(new Set(listed.map(({ handle }) => `sess:${handle}`))).toEqual(alive);
    // After a list, every member of the index has its hash.
    const members = await server.redis.zrange(index, '0', '-1');
    expect(members).toHaveLength(alive.size);
    for (const member of members) expect(await server.redis.exists(member)).toBe(1);

    // Log out everywhere, once more: nothing is left, not even the index.
    expect(await sessions.revokeAllSessions(userId)).toBe(alive.size);
    for (const cookie of cookies) expect(await loads(cookie)).toBe(false);
    expect(await sessions.listSessions(userId)).toEqual([]);
    expect(await server.redis.exists(index)).toBe(0);
  });

  it('concurrent new visitors each get their own session', async () => {
    server.setLatency(5, { jitter: true });
    const cookies = await Promise.all(Array.from({ length: 100 }, () => login()));
    server.setLatency(0);
    expect(new Set(cookies).size).toBe(100);
    const sample = sessions.open(cookies[42] as string);
    expect(await sample.get('base')).toBe(0);
  });
});
