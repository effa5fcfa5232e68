import { createTestClock } from '@fetch-session/core/testing';
import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../src/login-throttle.js';

// The throttle on its own, on the test clock: every wait is asserted exactly, none is waited for.
describe('login throttle', () => {
  const at = (client: string, account = 'test@example.com') => ({ account, client });

  /** Fails `times` attempts; returns how many were allowed. */
  function failMany(
    throttle: ReturnType<typeof createLoginThrottle>,
    times: number,
    account = 'a@x',
  ) {
    let allowed = 0;
    for (let i = 0; i < times; i++) if (throttle.begin(at('192.0.2.1', account)).allowed) allowed++;
    return allowed;
  }
  const waitOf = (attempt: ReturnType<ReturnType<typeof createLoginThrottle>['begin']>) =>
    attempt.allowed ? 0 : attempt.retryAfterSeconds;

  it('H13: 5 free failures per account, then 30 s doubling to a 15 min cap', () => {
    const clock = createTestClock();
    const throttle = createLoginThrottle({ now: clock.now });
    expect(failMany(throttle, 8)).toBe(5);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = waitOf(throttle.begin(at('192.0.2.1', 'a@x')));
      waits.push(wait);
      clock.advance(wait * 1000 - 1);
      expect(throttle.begin(at('192.0.2.1', 'a@x')).allowed).toBe(false); // 1 ms early
      clock.advance(1);
      expect(throttle.begin(at('192.0.2.1', 'a@x')).allowed).toBe(true); // and fails again
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('H13: the account key ignores case and surrounding spaces', () => {
    const throttle = createLoginThrottle({ now: createTestClock().now });
    for (const spelling of ['a@x', 'A@X', ' a@x', 'a@X ', 'A@x']) throttle.begin(at('1', spelling));
    expect(throttle.begin(at('2', 'a@x')).allowed).toBe(false);
  });

  it('H13: a success clears the account and takes back its count from the client', () => {
    const clock = createTestClock();
    const throttle = createLoginThrottle({ now: clock.now });
    expect(failMany(throttle, 4)).toBe(4);
    const right = throttle.begin(at('192.0.2.1', 'a@x'));
    expect(right.allowed).toBe(true);
    if (right.allowed) right.succeeded();
    expect(failMany(throttle, 5)).toBe(5); // a fresh budget for the account
    // The client has 9 failures (4 + 5): 11 more accounts before its own 20 are used up.
    for (let i = 0; i < 11; i++)
      expect(throttle.begin(at('192.0.2.1', `u${i}@x`)).allowed).toBe(true);
    expect(waitOf(throttle.begin(at('192.0.2.1', 'fresh@x')))).toBe(30);
    expect(throttle.begin(at('198.51.100.7', 'fresh@x')).allowed).toBe(true); // another client
  });

  it('H13: failures are forgotten after an hour without one', () => {
    const clock = createTestClock();
    const throttle = createLoginThrottle({ now: clock.now });
    expect(failMany(throttle, 5)).toBe(5);
    clock.advance(60 * 60 * 1000 - 1);
    expect(failMany(throttle, 1)).toBe(1); // the block is over, the count is not: 6th failure
    expect(waitOf(throttle.begin(at('192.0.2.1', 'a@x')))).toBe(60);
    clock.advance(60 * 60 * 1000);
    expect(failMany(throttle, 5)).toBe(5);
  });

  it('H13: memory stays bounded: past maxKeys the least recently failed key is dropped', () => {
    const throttle = createLoginThrottle({
      now: createTestClock().now,
      account: { maxKeys: 3, freeFailures: 1 },
    });
    for (const account of ['a', 'b', 'c', 'd']) throttle.begin(at(account, account));
    expect(throttle.begin(at('a', 'a')).allowed).toBe(true); // dropped, so it starts over
    expect(throttle.begin(at('d', 'd')).allowed).toBe(false);
  });
});
