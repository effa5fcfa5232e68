import { describe, expect, it } from 'vitest';
import { SessionCookieTooLargeError } from '../errors.js';
import { createSessionManager, type SessionManager } from '../session-manager.js';
import type { AnySessionStore, SessionStore } from '../store.js';
import { createGatedStore, interleave, schedules } from './gated-store.js';
import type { TestClock } from './test-clock.js';

const SECRET = 'conformance-suite-secret-0123456789abcdef';
const STATELESS =
  'a stateless store keeps one copy per cookie: concurrent requests race at the browser';

interface ManagerSuiteOptions {
  readonly store: () => AnySessionStore;
  readonly clock: () => TestClock;
  readonly concurrency: number;
  /** The session travels in the cookie: no server state to race, revoke or destroy. */
  readonly stateless: boolean;
  /** Whether the clock can be moved (an injected clock). */
  readonly movableClock: boolean;
  /** Why the H2 race tests cannot hold for this store; they are skipped with it. */
  readonly revocationRacesSkip?: string | undefined;
}

type Data = Record<string, unknown>;

/** `name=value` of a `Set-Cookie`. */
function pairOf(setCookie: string | undefined): string {
  expect(setCookie).toBeTypeOf('string');
  return (setCookie as string).split(';')[0] as string;
}

/**
 * The part of the conformance suite that drives a store through a real session manager, shared
 * by server-side and stateless stores; what a stateless store cannot do is skipped with the reason.
 */
export function describeThroughManager(options: ManagerSuiteOptions): void {
  const { concurrency, stateless, movableClock } = options;
  const manager = (
    extra: { idleTimeout?: number; maxSessionsPerUser?: number; store?: AnySessionStore } = {},
  ): SessionManager<Data, Data> =>
    createSessionManager<Data, Data>({
      store: options.store(),
      secrets: SECRET,
      now: options.clock().now,
      ...extra,
    });
  /** One request: open with `cookie`, act, commit; returns the cookie to carry on. */
  async function request<T>(
    sessions: SessionManager<Data, Data>,
    cookie: string,
    act: (session: ReturnType<SessionManager<Data, Data>['open']>) => Promise<T>,
  ): Promise<{ result: T; cookie: string; setCookie: string | undefined }> {
    const session = sessions.open(cookie);
    const result = await act(session);
    const { setCookie } = await sessions.commit(session);
    return { result, setCookie, cookie: setCookie === undefined ? cookie : pairOf(setCookie) };
  }

  describe('through a session manager', () => {
    it('serves a visit counter across requests', async () => {
      const handler = manager().wrap(async (_request, session) => {
        const count = (((await session.get('count')) as number | undefined) ?? 0) + 1;
        await session.set('count', count);
        return new Response(String(count));
      });
      let cookie = '';
      for (let i = 1; i <= 3; i++) {
        const response = await handler(
          new Request('https://example.test/', { headers: { cookie } }),
        );
        expect(await response.text()).toBe(String(i));
        const setCookie = response.headers.get('set-cookie');
        if (setCookie !== null) cookie = pairOf(setCookie);
      }
    });

    it('keeps nested objects, flash values until read, and deletions', async () => {
      const sessions = manager();
      let { cookie } = await request(sessions, '', async (s) => {
        await s.set('cart', { items: ['laptop'] });
        await s.set('gone', 1);
        await s.flash('notice', 'Added');
      });
      ({ cookie } = await request(sessions, cookie, async (s) => {
        ((await s.get('cart')) as { items: string[] }).items.push('phone');
        await s.delete('gone');
      }));
      const first = await request(sessions, cookie, async (s) => [
        await s.get('cart'),
        await s.keys(),
        await s.takeFlash('notice'),
      ]);
      expect(first.result).toEqual([{ items: ['laptop', 'phone'] }, ['cart'], 'Added']);
      const second = await request(sessions, first.cookie, (s) => s.takeFlash('notice'));
      expect(second.result).toBeUndefined();
    });

    it('S11: a tampered cookie means a new, empty session', async () => {
      const sessions = manager();
      const { cookie } = await request(sessions, '', (s) => s.set('user', 'ada'));
      const index = cookie.length - 5;
      const flipped = cookie[index] === 'A' ? 'B' : 'A';
      const tampered = cookie.slice(0, index) + flipped + cookie.slice(index + 1);
      const { result } = await request(sessions, tampered, async (s) => [
        await s.isNew(),
        await s.get('user'),
      ]);
      expect(result).toEqual([true, undefined]);
    });

    it('S13: regenerate() keeps the data under a new cookie value', async () => {
      const sessions = manager();
      const before = await request(sessions, '', (s) => s.set('user', 'ada'));
      const after = await request(sessions, before.cookie, (s) => s.regenerate());
      expect(after.cookie).not.toBe(before.cookie);
      expect((await request(sessions, after.cookie, (s) => s.get('user'))).result).toBe('ada');
      if (!stateless) {
        expect(
          (await request(sessions, before.cookie, (s) => s.get('user'))).result,
        ).toBeUndefined();
      }
    });

    it('S19: destroy() expires the cookie; on a server-side store a replay is empty', async () => {
      const sessions = manager();
      const { cookie } = await request(sessions, '', (s) => s.set('user', 'ada'));
      const { setCookie } = await request(sessions, cookie, (s) => s.destroy());
      expect(setCookie).toMatch(/; Max-Age=0;/);
      if (!stateless) {
        expect((await request(sessions, cookie, (s) => s.get('user'))).result).toBeUndefined();
      }
    });

    it.runIf(movableClock)('S15: the idle timeout ends the session, from timestamps', async () => {
      const sessions = manager({ idleTimeout: 60 });
      const { cookie } = await request(sessions, '', (s) => s.set('user', 'ada'));
      options.clock().advance(59_000);
      const kept = await request(sessions, cookie, (s) => s.get('user'));
      expect(kept.result).toBe('ada');
      options.clock().advance(61_000);
      expect((await request(sessions, kept.cookie, (s) => s.get('user'))).result).toBeUndefined();
    });

    if (stateless) {
      it('S26: a session too large for a cookie is a typed error at write time', async () => {
        const sessions = manager();
        const session = sessions.open('');
        await session.set('big', 'x'.repeat(5000));
        await expect(sessions.commit(session)).rejects.toBeInstanceOf(SessionCookieTooLargeError);
      });
    }

    describe('per-user sessions', () => {
      const login = async (
        sessions: SessionManager<Data, Data>,
        userId: string,
        device: string,
      ) => {
        const response = await request(sessions, '', async (s) => {
          await s.regenerate();
          await s.bindUser(userId, { device });
          await s.set('user', userId);
        });
        return response.cookie;
      };
      const indexed = () =>
        !stateless &&
        (options.store() as { listUserSessions?: unknown }).listUserSessions !== undefined;

      it("lists a user's live sessions with handles that are not session IDs, marking the current one", async (context) => {
        if (!indexed()) return context.skip('the store keeps no per-user index');
        const sessions = manager();
        const user = `u-${Math.random()}`;
        const laptop = await login(sessions, user, 'Firefox on Linux');
        const phone = await login(sessions, user, 'Safari on iOS');
        await login(sessions, `${user}-someone-else`, 'Chrome on Windows');
        const current = sessions.open(phone);
        const list = await sessions.listSessions(user, { current });
        expect(list.map((s) => s.device).sort()).toEqual(['Firefox on Linux', 'Safari on iOS']);
        expect(list.filter((s) => s.current).map((s) => s.device)).toEqual(['Safari on iOS']);
        for (const entry of list) {
          for (const cookie of [laptop, phone]) {
            const value = cookie.slice(cookie.indexOf('=') + 1);
            expect(value).not.toContain(entry.handle);
            expect(entry.handle).not.toContain(value.slice(0, 43));
          }
        }
      });

      it("revokeSession() ends one session on its next request; others go on; another user's handle does nothing", async (context) => {
        if (!indexed()) return context.skip('the store keeps no per-user index');
        const sessions = manager();
        const user = `u-${Math.random()}`;
        const laptop = await login(sessions, user, 'laptop');
        const phone = await login(sessions, user, 'phone');
        const laptopHandle = (await sessions.listSessions(user)).find((s) => s.device === 'laptop')
          ?.handle as string;
        expect(await sessions.revokeSession(`${user}-mallory`, laptopHandle)).toBe(false);
        // A request already in flight on the laptop commits after the revocation.
        const inFlight = sessions.open(laptop);
        await inFlight.set('late', 1);
        expect(await sessions.revokeSession(user, laptopHandle)).toBe(true);
        await sessions.commit(inFlight);
        expect((await request(sessions, laptop, (s) => s.get('user'))).result).toBeUndefined();
        expect((await request(sessions, phone, (s) => s.get('user'))).result).toBe(user);
        expect((await sessions.listSessions(user)).map((s) => s.device)).toEqual(['phone']);
      });

      it('S20: revokeAllSessions() ends every session of the user, or all but the current one', async (context) => {
        if (!indexed()) return context.skip('the store keeps no per-user index');
        const sessions = manager();
        const user = `u-${Math.random()}`;
        const cookies = [
          await login(sessions, user, 'a'),
          await login(sessions, user, 'b'),
          await login(sessions, user, 'c'),
        ];
        const keep = sessions.open(cookies[0] as string);
        expect(await sessions.revokeAllSessions(user, { except: keep })).toBe(2);
        expect((await sessions.listSessions(user)).map((s) => s.device)).toEqual(['a']);
        expect(await sessions.revokeAllSessions(user)).toBe(1);
        for (const cookie of cookies)
          expect((await request(sessions, cookie, (s) => s.get('user'))).result).toBeUndefined();
        expect(await sessions.listSessions(user)).toEqual([]);
      });

      it('follows regenerate() and destroy(), and never lists an expired session', async (context) => {
        if (!indexed()) return context.skip('the store keeps no per-user index');
        const sessions = manager({ idleTimeout: 60 });
        const user = `u-${Math.random()}`;
        const cookie = await login(sessions, user, 'desk');
        const before = (await sessions.listSessions(user))[0]?.handle;
        const { cookie: rotated } = await request(sessions, cookie, (s) => s.regenerate());
        expect(rotated).not.toBe(cookie);
        const after = await sessions.listSessions(user);
        expect(after).toHaveLength(1);
        // The handle names the lineage: it stays valid across regenerate() (H2).
        expect(after[0]?.handle).toBe(before);
        expect((await request(sessions, rotated, (s) => s.get('user'))).result).toBe(user);
        await request(sessions, rotated, (s) => s.destroy());
        expect(await sessions.listSessions(user)).toEqual([]);
        if (movableClock) {
          await login(sessions, user, 'old');
          options.clock().advance(61_000);
          expect(await sessions.listSessions(user)).toEqual([]);
        }
      });
      /** What a committed regenerate left the browser: its new cookie, if it got one. */
      const issued = (setCookie: string | undefined): string | undefined =>
        setCookie === undefined || /Max-Age=0/.test(setCookie) ? undefined : pairOf(setCookie);
      const signedIn = async (sessions: SessionManager<Data, Data>, cookie: string) =>
        (await request(sessions, cookie, (s) => s.get('user'))).result;
      const h2Cases = [
        {
          name: 'revokeSession() of a session',
          regenerates: 'laptop',
          revoke: (s: SessionManager<Data, Data>, user: string, h: Record<string, string>) =>
            s.revokeSession(user, h.laptop as string),
          expected: true,
          left: ['phone'],
        },
        {
          name: 'revokeAllSessions() of a user with a session',
          regenerates: 'laptop',
          revoke: (s: SessionManager<Data, Data>, user: string) => s.revokeAllSessions(user),
          expected: 2,
          left: [],
        },
        {
          name: 'revokeAllSessions() except the current one, of a session',
          regenerates: 'laptop',
          revoke: (s: SessionManager<Data, Data>, user: string, h: Record<string, string>) =>
            s.revokeAllSessions(user, { except: h.phone as string }),
          expected: 1,
          left: ['phone'],
        },
        {
          name: 'revokeAllSessions() except the current one, while the current one',
          regenerates: 'phone',
          revoke: (s: SessionManager<Data, Data>, user: string, h: Record<string, string>) =>
            s.revokeAllSessions(user, { except: h.phone as string }),
          expected: 1,
          left: ['phone'],
        },
      ] as const;
      // Every place of the regenerate's two calls (create new, delete old) among the first six
      // steps: every order of them with the revocation's first pass (list, load, delete) and
      // the start of a second one. The rest runs freely once the gates open.
      const h2Schedules = schedules(2, 6).filter(
        (schedule) => schedule.filter((actor) => actor === 0).length === 2,
      );
      for (const h2 of h2Cases) {
        it(`H2: ${h2.name} regenerates in flight: every interleaving of their store calls leaves the revoked lineage signed out`, async (context) => {
          if (!indexed()) return context.skip('the store keeps no per-user index');
          if (options.revocationRacesSkip !== undefined)
            return context.skip(options.revocationRacesSkip);
          const inner = options.store() as SessionStore;
          for (const schedule of h2Schedules) {
            const at = `schedule ${schedule.join('')} (0: regenerate, 1: revoke)`;
            const plain = manager();
            const user = `u-${Math.random()}`;
            const cookies: Record<string, string> = {
              laptop: await login(plain, user, 'laptop'),
              phone: await login(plain, user, 'phone'),
            };
            const handles: Record<string, string> = {};
            for (const entry of await plain.listSessions(user))
              handles[entry.device as string] = entry.handle;
            const regenerating = createGatedStore(inner);
            const revoking = createGatedStore(inner);
            const a = manager({ store: regenerating.store });
            const b = manager({ store: revoking.store });
            const session = a.open(cookies[h2.regenerates] as string);
            expect(await session.get('user'), at).toBe(user); // loaded before the gates close
            await session.regenerate();
            const [committed, revoked] = await interleave(
              [
                { gate: regenerating, run: () => a.commit(session) },
                { gate: revoking, run: () => h2.revoke(b, user, handles) },
              ],
              schedule,
            );
            expect(committed?.status, at).toBe('fulfilled');
            expect(revoked, at).toEqual({ status: 'fulfilled', value: h2.expected });
            const setCookie = (committed as PromiseFulfilledResult<{ setCookie?: string }>).value
              .setCookie;
            const fresh = issued(setCookie);
            for (const device of ['laptop', 'phone']) {
              const kept = (h2.left as readonly string[]).includes(device);
              const current =
                device === h2.regenerates && fresh !== undefined
                  ? fresh
                  : (cookies[device] as string);
              expect(await signedIn(plain, current), `${at}: ${device}`).toBe(
                kept ? user : undefined,
              );
              expect(await signedIn(plain, cookies[device] as string), `${at}: old ${device}`).toBe(
                kept && device !== h2.regenerates ? user : undefined,
              );
            }
            expect((await plain.listSessions(user)).map((s) => s.device).sort(), at).toEqual([
              ...h2.left,
            ]);
          }
        }, 120_000);
      }

      it('H7: binding a user past maxSessionsPerUser revokes the least recently seen sessions; the list pages', async (context) => {
        if (!indexed()) return context.skip('the store keeps no per-user index');
        const sessions = manager({ maxSessionsPerUser: 3 });
        const user = `u-${Math.random()}`;
        const cookies: string[] = [];
        for (let i = 0; i < 5; i++) {
          cookies.push(await login(sessions, user, `d${i}`));
          if (movableClock) options.clock().advance(1000);
        }
        const list = await sessions.listSessions(user);
        expect(list).toHaveLength(3);
        let live = 0;
        for (const cookie of cookies) if ((await signedIn(sessions, cookie)) === user) live++;
        expect(live).toBe(3);
        // The newest login is never the one evicted.
        expect(await signedIn(sessions, cookies[4] as string)).toBe(user);
        if (movableClock) {
          expect(list.map((s) => s.device).sort()).toEqual(['d2', 'd3', 'd4']);
        }
        const first = await sessions.listSessions(user, { limit: 2 });
        const rest = await sessions.listSessions(user, { limit: 2, offset: 2 });
        expect(first).toHaveLength(2);
        expect(rest).toHaveLength(1);
        expect([...first, ...rest].map((s) => s.handle).sort()).toEqual(
          list.map((s) => s.handle).sort(),
        );
      });
    });

    it.skipIf(stateless)(
      `keeps every key when ${concurrency} concurrent requests each set a different key${stateless ? ` (skipped: ${STATELESS})` : ''}`,
      async () => {
        const sessions = manager();
        const { cookie } = await request(sessions, '', (s) => s.set('base', 0));
        await Promise.all(
          Array.from({ length: concurrency }, async (_, i) => {
            const session = sessions.open(cookie);
            await session.set(`k${i}`, i);
            return sessions.commit(session);
          }),
        );
        const check = sessions.open(cookie);
        expect(await check.keys()).toHaveLength(concurrency + 1);
        for (let i = 0; i < concurrency; i++) expect(await check.get(`k${i}`)).toBe(i);
      },
    );

    it.skipIf(stateless)(
      `S21: a commit that races destroy() does not resurrect the session${stateless ? ' (skipped: a stateless store cannot revoke)' : ''}`,
      async () => {
        const sessions = manager();
        const { cookie } = await request(sessions, '', (s) => s.set('a', 1));
        const slow = sessions.open(cookie);
        await slow.set('b', 2); // loaded before the destroy
        await request(sessions, cookie, (s) => s.destroy());
        const result = await sessions.commit(slow);
        expect(result.setCookie).toBeUndefined();
        expect(await sessions.open(cookie).isNew()).toBe(true);
      },
    );
  });
}
