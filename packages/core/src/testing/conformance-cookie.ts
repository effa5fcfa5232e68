import { beforeEach, describe, expect, it } from 'vitest';
import type { CookieSessionStore, SessionMeta, SessionRecord } from '../store.js';
import { describeThroughManager } from './conformance-manager.js';
import { createTestClock, type TestClock } from './test-clock.js';

/** Options of {@link describeCookieSessionStore}. */
export interface CookieStoreConformanceOptions {
  /** Shown in the test names, e.g. `cookie`. */
  name: string;
  /** A store that uses `context.now` as its clock. */
  createStore: (context: {
    readonly now: () => number;
  }) => CookieSessionStore | Promise<CookieSessionStore>;
  /** A store with other keys: nothing it seals may open in the store under test. */
  createForeignStore?: (context: {
    readonly now: () => number;
  }) => CookieSessionStore | Promise<CookieSessionStore>;
}

/**
 * The conformance suite for stateless stores (the session sealed into the cookie): sealing
 * round trips, tamper and garbage resistance, expiry, and the manager scenarios that apply.
 * Scenarios a stateless store cannot support (concurrent patches, revocation) are skipped
 * with that reason.
 *
 * @example
 * ```ts
 * import { describeCookieSessionStore } from '@fetch-session/core/testing';
 * import { cookieStore } from '@fetch-session/cookie';
 *
 * describeCookieSessionStore({ name: 'cookie', createStore: ({ now }) => cookieStore({ secrets, now }) });
 * ```
 */
export function describeCookieSessionStore(options: CookieStoreConformanceOptions): void {
  describe(`session store conformance (stateless): ${options.name}`, () => {
    let clock: TestClock;
    let store: CookieSessionStore;
    const record = (
      fields: Record<string, string> = { 'd:a': '1' },
      meta: Partial<SessionMeta> = {},
    ): SessionRecord => ({
      meta: { createdAt: clock.now(), lastSeenAt: clock.now(), permanent: false, ...meta },
      fields,
    });
    const later = (): number => clock.now() + 3_600_000;

    beforeEach(async () => {
      clock = createTestClock(Date.UTC(2026, 0, 1));
      store = await options.createStore({ now: clock.now });
    });

    it('is marked stateless and named', () => {
      expect(store.kind).toBe('cookie');
      expect(store.name.length).toBeGreaterThan(0);
    });

    it('seals a record and opens it back unchanged', async () => {
      const original = record(
        { 'd:a': '1', 'd:unicode ✓': '"naïve 🍪"', 'f:notice': '"hi"', 'd:empty': '' },
        { permanent: true },
      );
      const opened = await store.unseal(await store.seal(original, { expiresAt: later() }));
      expect(opened?.record).toEqual(original);
      expect(opened?.stale).toBe(false);
    });

    it('produces cookie-safe values, different on every seal', async () => {
      const r = record();
      const [first, second] = [
        await store.seal(r, { expiresAt: later() }),
        await store.seal(r, { expiresAt: later() }),
      ];
      for (const value of [first, second]) expect(value).toMatch(/^[\w.~-]+$/);
      expect(first).not.toBe(second);
    });

    it('S11: never opens garbage and never throws on it', async () => {
      const garbage = [
        '',
        '.',
        '....',
        'a.b.c.d.e',
        'eyJhbGciOiJub25lIn0.e30.',
        '%00',
        '\u0000',
        'ü'.repeat(50),
        'x'.repeat(10_000),
      ];
      for (const value of garbage) await expect(store.unseal(value)).resolves.toBeUndefined();
    });

    it('S27: refuses a sealed value changed at any position, truncated or extended', async () => {
      const value = await store.seal(record(), { expiresAt: later() });
      for (let i = 0; i < value.length; i += Math.max(1, Math.floor(value.length / 60))) {
        const changed = value.slice(0, i) + (value[i] === 'A' ? 'B' : 'A') + value.slice(i + 1);
        if (changed === value) continue;
        await expect(store.unseal(changed), `changed at ${i}`).resolves.toBeUndefined();
      }
      await expect(store.unseal(value.slice(0, -1))).resolves.toBeUndefined();
      await expect(store.unseal(`${value}A`)).resolves.toBeUndefined();
    });

    it('refuses what another key sealed', async (context) => {
      if (options.createForeignStore === undefined) {
        context.skip('no createForeignStore given');
        return;
      }
      const foreign = await options.createForeignStore({ now: clock.now });
      await expect(
        store.unseal(await foreign.seal(record(), { expiresAt: later() })),
      ).resolves.toBeUndefined();
    });

    it('S17: refuses a sealed value after its expiresAt', async () => {
      const value = await store.seal(record(), { expiresAt: clock.now() + 10_000 });
      clock.advance(9_000);
      expect(await store.unseal(value)).toBeDefined();
      clock.advance(2_000);
      expect(await store.unseal(value)).toBeUndefined();
    });

    describeThroughManager({
      store: () => store,
      clock: () => clock,
      concurrency: 10,
      stateless: true,
      movableClock: true,
    });
  });
}
