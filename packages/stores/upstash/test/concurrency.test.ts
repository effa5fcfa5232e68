/**
 * Many concurrent commits, with random latency on the REST server so requests interleave:
 * patches of different keys all survive, and nothing resurrects a destroyed session (S21).
 */
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { storeKeyOf } from './support/keys.js';
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
    // Commits start over 20 ms and the destroy at 10 ms: some land before it, some after.
    const later = <T>(ms: number, run: () => Promise<T>): Promise<T> =>
      new Promise((resolve, reject) => setTimeout(() => run().then(resolve, reject), ms));
    const results = await Promise.all([
      ...opened.map((session) => later(Math.random() * 20, () => sessions.commit(session))),
      later(10, async () => {
        await destroyer.destroy();
        return sessions.commit(destroyer);
      }),
    ]);
    server.setLatency(0);
    expect(results.at(-1)?.setCookie).toMatch(/Max-Age=0/);
    expect(await stored(cookie)).toBeUndefined();
    // The race happened: commits after the delete were refused ('conflict'), and none of
    // them minted a new session either.
    expect(skipped).toBeGreaterThan(0);
    expect(results.slice(0, -1).every((commit) => commit.setCookie === undefined)).toBe(true);
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
