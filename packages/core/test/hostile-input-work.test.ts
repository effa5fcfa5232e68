// S33 by counts: whatever the Cookie header holds, one request costs at most one signature
// check per secret and at most one store load, and the cookie value that reaches the signer
// is the configured cookie's alone.
import { createSessionManager } from '@fetch-session/core';
import { countStoreCalls, createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { _HMAC } from '@noble/hashes/hmac.js';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SECRETS = [
  'hostile-work-secret-one-0123456789abcdef',
  'hostile-work-secret-two-0123456789abcd',
];
const SHAPED = `${'A'.repeat(43)}.${'Q'.repeat(42)}A`; // right shape, wrong signature

describe('S33: work per request is bounded by counts', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('S33: 10,000 session cookies, a 1 MB value and thousands of other cookies cost at most one verify per secret and no store call', async () => {
    const store = countStoreCalls(memoryStore());
    const sessions = createSessionManager({
      store,
      secrets: SECRETS,
      now: createTestClock().now,
    });
    // Each MAC the signer computes is one pre-keyed HMAC digest (decision 0010); Web Crypto
    // must not be called at all on this runtime.
    const verify = vi.spyOn(_HMAC.prototype, 'digest');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    // [header, signature checks]: a well-shaped value is checked once per secret, a malformed
    // one not at all (S11); never once per cookie in the header.
    const headers: Array<[string, number]> = [
      [Array.from({ length: 10_000 }, () => `sid=${SHAPED}`).join('; '), SECRETS.length],
      [`sid=${'A'.repeat(1_000_000)}`, 0],
      [
        `${Array.from({ length: 5_000 }, (_, i) => `c${i}=${SHAPED}`).join('; ')}; sid=${SHAPED}`,
        SECRETS.length,
      ],
      [`${'x'.repeat(100_000)}; sid=${SHAPED}; ${'; '.repeat(50_000)}`, SECRETS.length],
    ];
    for (const [cookie, checks] of headers) {
      verify.mockClear();
      sign.mockClear();
      store.reset();
      const session = sessions.open(cookie);
      expect(await session.get('user')).toBeUndefined();
      await sessions.commit(session);
      expect(verify.mock.calls.length).toBe(checks);
      expect(sign.mock.calls.length).toBe(0);
      expect(store.total).toBe(0);
    }
  });
});
