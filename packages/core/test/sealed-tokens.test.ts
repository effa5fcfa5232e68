import {
  type CookieSessionStore,
  createSessionManager,
  SessionNotSupportedError,
  SessionStoreError,
} from '@fetch-session/core';
import { createSwitchableStore } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { describe, expect, it } from 'vitest';
import { recordWrites, SECRET, setup } from './helpers.js';

const OLD_SECRET = 'an-older-secret-that-is-at-least-32-bytes';
const reset = { purpose: 'password-reset', expiresIn: 900 } as const;

describe('F1: sealed tokens', () => {
  it('F1: a sealed value opens for its purpose, before its expiry', async () => {
    const { sessions, clock } = setup();
    const token = await sessions.tokens.seal({ userId: 'u1', email: 'a@example.com' }, reset);
    expect(token).toMatch(/^t1\.[A-Za-z0-9_-]+$/);
    const opened = await sessions.tokens.open(token, { purpose: 'password-reset' });
    expect(opened).toEqual({
      ok: true,
      value: { userId: 'u1', email: 'a@example.com' },
      expiresAt: clock.now() + 900_000,
    });
  });

  it('F1: the payload is encrypted, not only signed (no plaintext in the token)', async () => {
    const { sessions } = setup();
    const token = await sessions.tokens.seal({ email: 'secret-address@example.com' }, reset);
    const bytes = atob(token.slice(3).replace(/-/g, '+').replace(/_/g, '/'));
    expect(bytes).not.toContain('secret-address');
    expect(bytes).not.toContain('password-reset');
  });

  it('F1: two seals of one value differ (random IV and ID)', async () => {
    const { sessions } = setup();
    expect(await sessions.tokens.seal(1, reset)).not.toBe(await sessions.tokens.seal(1, reset));
  });

  it('F1: expired at the expiry instant, by the manager clock', async () => {
    const { sessions, clock } = setup();
    const token = await sessions.tokens.seal('x', { purpose: 'verify', expiresIn: 60 });
    clock.advance(59_999);
    expect((await sessions.tokens.open(token, { purpose: 'verify' })).ok).toBe(true);
    clock.advance(1);
    expect(await sessions.tokens.open(token, { purpose: 'verify' })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('F1: a token for one purpose is refused for another', async () => {
    const { sessions } = setup();
    const token = await sessions.tokens.seal('x', { purpose: 'verify-email', expiresIn: 60 });
    expect(await sessions.tokens.open(token, { purpose: 'password-reset' })).toEqual({
      ok: false,
      reason: 'purpose',
    });
  });

  it('F1: tampered, truncated, malformed and foreign tokens are invalid, never a throw', async () => {
    const { sessions } = setup();
    const token = await sessions.tokens.seal({ userId: 'u1' }, reset);
    const flipped = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    const other = createSessionManager({
      store: memoryStore(),
      secrets: 'a-completely-different-secret-32-bytes-long',
    });
    const foreign = await other.tokens.seal({ userId: 'u1' }, reset);
    const hostile: unknown[] = [
      flipped,
      token.slice(0, -2),
      `${token}A`,
      't1.',
      't1.%%%',
      token.replace('t1.', 't2.'),
      '',
      'x'.repeat(100_000),
      foreign,
      undefined,
      null,
      42,
      { token },
    ];
    for (const value of hostile) {
      expect(await sessions.tokens.open(value, { purpose: 'password-reset' })).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
  });

  it('F1: the newest secret seals, every secret opens (rotation)', async () => {
    const before = createSessionManager({ store: memoryStore(), secrets: OLD_SECRET });
    const rotated = createSessionManager({ store: memoryStore(), secrets: [SECRET, OLD_SECRET] });
    const newOnly = createSessionManager({ store: memoryStore(), secrets: SECRET });
    const oldToken = await before.tokens.seal('v', reset);
    expect((await rotated.tokens.open(oldToken, { purpose: reset.purpose })).ok).toBe(true);
    const newToken = await rotated.tokens.seal('v', reset);
    expect((await newOnly.tokens.open(newToken, { purpose: reset.purpose })).ok).toBe(true);
    expect((await before.tokens.open(newToken, { purpose: reset.purpose })).ok).toBe(false);
  });

  it('F1: a single-use token opens once, then answers used; peek does not consume', async () => {
    const { sessions } = setup();
    const token = await sessions.tokens.seal({ userId: 'u1' }, { ...reset, once: true });
    const peeked = await sessions.tokens.open(token, { purpose: reset.purpose, peek: true });
    expect(peeked.ok).toBe(true);
    expect((await sessions.tokens.open(token, { purpose: reset.purpose })).ok).toBe(true);
    expect(await sessions.tokens.open(token, { purpose: reset.purpose })).toEqual({
      ok: false,
      reason: 'used',
    });
    expect(await sessions.tokens.open(token, { purpose: reset.purpose, peek: true })).toEqual({
      ok: false,
      reason: 'used',
    });
    // Another single-use token is not affected by the first one's marker.
    const second = await sessions.tokens.seal({ userId: 'u1' }, { ...reset, once: true });
    expect((await sessions.tokens.open(second, { purpose: reset.purpose })).ok).toBe(true);
  });

  it('F1: concurrent opens of a single-use token: exactly one succeeds', async () => {
    const { sessions } = setup();
    const token = await sessions.tokens.seal('v', { ...reset, once: true });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => sessions.tokens.open(token, { purpose: reset.purpose })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.reason === 'used')).toHaveLength(4);
  });

  it('F1: the used marker is keyed by a hash and expires with the token', async () => {
    const { clock } = setup();
    const { store, writes } = recordWrites(memoryStore({ now: clock.now }));
    const sessions = createSessionManager({ store, secrets: SECRET, now: clock.now });
    const token = await sessions.tokens.seal('v', { purpose: 'p', expiresIn: 60, once: true });
    await sessions.tokens.open(token, { purpose: 'p' });
    expect(writes).toHaveLength(1);
    const [marker] = writes;
    expect(marker?.key).toMatch(/^sess:used:[A-Za-z0-9_-]{43}$/);
    expect(token).not.toContain(marker?.key.slice('sess:used:'.length));
    expect(marker?.options).toEqual({ mode: 'create', expiresAt: clock.now() + 60_000 });
    clock.advance(60_000);
    expect(await sessions.tokens.open(token, { purpose: 'p' })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('F1: a store failure while consuming is a SessionStoreError, not a success', async () => {
    const outage = createSwitchableStore(memoryStore());
    const sessions = createSessionManager({ store: outage, secrets: SECRET });
    const token = await sessions.tokens.seal('v', { ...reset, once: true });
    outage.failing = true;
    await expect(sessions.tokens.open(token, { purpose: reset.purpose })).rejects.toBeInstanceOf(
      SessionStoreError,
    );
  });

  it('F1: single use needs a server-side store; misuse is a typed error at seal', async () => {
    // A stand-in stateless store: only its kind matters here (tokens never call it).
    const stateless: CookieSessionStore = {
      name: 'stateless',
      kind: 'cookie',
      unseal: async () => undefined,
      seal: async () => 'sealed',
    };
    const sessions = createSessionManager({ store: stateless, secrets: SECRET });
    await expect(sessions.tokens.seal('v', { ...reset, once: true })).rejects.toBeInstanceOf(
      SessionNotSupportedError,
    );
    const token = await sessions.tokens.seal('v', reset);
    expect((await sessions.tokens.open(token, { purpose: reset.purpose })).ok).toBe(true);
  });

  it('F1: bad seal arguments are TypeErrors', async () => {
    const { sessions } = setup();
    await expect(sessions.tokens.seal('v', { purpose: '', expiresIn: 1 })).rejects.toThrow(
      TypeError,
    );
    await expect(sessions.tokens.seal('v', { purpose: 'p', expiresIn: 0 })).rejects.toThrow(
      TypeError,
    );
    await expect(sessions.tokens.seal(undefined, reset)).rejects.toThrow(TypeError);
  });
});
