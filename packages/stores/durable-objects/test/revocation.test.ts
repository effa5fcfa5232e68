import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from './helpers/browser.js';
import { startTestWorkers, type TestWorkers } from './helpers/test-worker.js';

// Two Worker services (`a` and `b`: separate isolates, each with its own session manager and
// verified-cookie cache) over one namespace of objects, as two locations of one app are.
let workers: TestWorkers;
beforeAll(async () => {
  workers = await startTestWorkers();
});
afterAll(async () => {
  await workers?.dispose();
});

type Me = { user: string | null; isNew: boolean };

describe('revocation holds on the very next request, through another Worker', () => {
  it('S20: "log out everywhere" in worker a refuses the other session on its next request in worker b', async () => {
    const { a, b } = workers;
    const laptop = new Browser();
    const phone = new Browser();
    await laptop.visit(a, '/app/signin?user=ada&device=laptop');
    await phone.visit(b, '/app/signin?user=ada&device=phone');
    // Both work everywhere first: b has now loaded and cached the laptop's cookie too.
    expect((await laptop.visit<Me>(b, '/app/me')).body.user).toBe('ada');
    expect((await phone.visit<Me>(a, '/app/me')).body.user).toBe('ada');
    expect((await phone.visit<Me>(b, '/app/me')).body.user).toBe('ada');

    const revoked = await laptop.visit<{ count: number }>(a, '/app/revoke-all?except=current');
    expect(revoked.body.count).toBe(1);

    // The very next request of the phone, in the worker where it was signed in and served.
    expect((await phone.visit<Me>(b, '/app/me')).body).toEqual({ user: null, isNew: true });
    expect((await laptop.visit<Me>(b, '/app/me')).body.user).toBe('ada');
    expect((await laptop.visit<unknown[]>(b, '/app/sessions')).body).toHaveLength(1);
  });

  it('S19: a logout in worker b ends the session in worker a at once', async () => {
    const { a, b } = workers;
    const browser = new Browser();
    await browser.visit(a, '/app/login?user=grace');
    const stolen = browser.cookie; // a copy of the cookie, kept by an attacker
    expect((await browser.visit<Me>(a, '/app/me')).body.user).toBe('grace');
    expect((await browser.visit<Me>(b, '/app/me')).body.user).toBe('grace');
    await browser.visit(b, '/app/logout');
    const replay = new Browser();
    replay.cookie = stolen;
    expect((await replay.visit<Me>(a, '/app/me')).body).toEqual({ user: null, isNew: true });
  });

  it('S21: a commit from worker a racing a revocation from worker b does not bring the session back', async () => {
    const { a, b } = workers;
    const browser = new Browser();
    await browser.visit(a, '/app/signin?user=alan');
    const other = new Browser();
    await other.visit(b, '/app/signin?user=alan');
    const writes = Array.from({ length: 10 }, (_, i) => {
      const copy = new Browser();
      copy.cookie = browser.cookie;
      return copy.visit(a, `/app/set?key=k${i}&value=v`);
    });
    const revoke = other.visit<{ count: number }>(b, '/app/revoke-all?except=current');
    await Promise.all([...writes, revoke]);
    expect((await browser.visit<Me>(b, '/app/me')).body).toEqual({ user: null, isNew: true });
    expect((await browser.visit<Me>(a, '/app/me')).body.isNew).toBe(true);
  });
});
