import { describe, expect, it } from 'vitest';
import { cookiePair, setup } from './helpers.js';

describe('checklist gaps (issue 10.8)', () => {
  it('S16: regenerate() does not restart the absolute timeout', async () => {
    const idle = 3600;
    const absolute = 4 * 3600;
    const { request, clock, events } = setup(
      { idleTimeout: idle, absoluteTimeout: absolute },
      { storeClock: 'frozen' },
    );
    const created = clock.now();
    let cookie = cookiePair((await request(null, (s) => s.set('user', 'ada'))).setCookie);
    // Regenerate every half idle period: each time a fresh ID, never a fresh lifetime.
    for (let i = 1; i < 8; i++) {
      clock.set(created + (i * idle * 1000) / 2);
      cookie = cookiePair((await request(cookie, (s) => s.regenerate())).setCookie);
    }
    clock.set(created + absolute * 1000 - 1);
    expect((await request(cookie, (s) => s.get('user'))).result).toBe('ada');
    // A regenerate that restarted createdAt would keep the session for hours more.
    clock.set(created + absolute * 1000);
    expect((await request(cookie, (s) => s.get('user'))).result).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'expired', reason: 'absolute' }));
  });
});
