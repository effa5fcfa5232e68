// Session IDs and signed cookie values: SECURITY.md S1, S2, S9, S11, S27, S28.
import { createHash, createHmac } from 'node:crypto';
import type { SessionRecord, SessionStore } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeBase64url } from '../src/base64url.js';
import { generateSessionId, SESSION_ID_LENGTH } from '../src/session-id.js';
import { IdSigner } from '../src/signer.js';
import { issue, setupCounted, visit } from './counted-sessions.js';

const SECRET = 'ids-and-signing-test-secret-0123456789abcdef';
const OTHER_SECRET = 'another-secret-of-enough-length-0123456789xyz';
const PURPOSE = 'fetch-session/session-id/v1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const encoder = new TextEncoder();

const setup = (options: Parameters<typeof setupCounted>[1] = {}) => setupCounted(SECRET, options);

function sha256Base64url(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function hmacBase64url(secret: string, purpose: string, id: string): string {
  return createHmac('sha256', secret).update(`${purpose}\u0000${id}`).digest('base64url');
}

/** A base64url character other than `c`. */
function otherChar(c: string): string {
  const index = ALPHABET.indexOf(c);
  return ALPHABET[(index + 1) % 64] as string;
}

function replaceAt(text: string, index: number, replacement: string): string {
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('session IDs', () => {
  it('S1: 10,000 generated IDs are distinct, 43 base64url characters, 256 bits from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const ids = Array.from({ length: 10_000 }, () => generateSessionId());
    expect(new Set(ids).size).toBe(10_000);
    const badShape = ids.filter((id) => id.length !== 43 || !BASE64URL.test(id));
    expect(badShape).toEqual([]);
    // 32 bytes each, canonically encoded: the ID is exactly the encoding of 256 bits.
    const notCanonical = ids.filter((id) => {
      const bytes = Buffer.from(id, 'base64url');
      return bytes.length !== 32 || bytes.toString('base64url') !== id;
    });
    expect(notCanonical).toEqual([]);
    // The exported length is the generator's, so shape checks built on it accept every ID.
    expect(new Set(ids.map((id) => id.length))).toEqual(new Set([SESSION_ID_LENGTH]));
    // Every ID is 32 fresh bytes from the platform CSPRNG, drawn in blocks and each used once:
    // the IDs are consecutive 32-byte slices of what getRandomValues returned (the first few may
    // come from a block drawn before the spy was installed).
    const drawn = Buffer.concat(
      spy.mock.results.map((result) => Buffer.from(result.value as Uint8Array)),
    );
    const slices = new Set(
      Array.from({ length: Math.floor(drawn.length / 32) }, (_, i) =>
        drawn.subarray(i * 32, i * 32 + 32).toString('base64url'),
      ),
    );
    const fromSpy = ids.filter((id) => slices.has(id));
    expect(fromSpy.length).toBeGreaterThanOrEqual(10_000 - 128);
    expect(drawn.length).toBeGreaterThanOrEqual((10_000 - 128) * 32);
  });

  it('S1: the IDs the manager issues are 43-character base64url IDs, a new one per session', async () => {
    const { sessions } = setup();
    const values = await Promise.all(Array.from({ length: 200 }, () => issue(sessions)));
    const ids = values.map((value) => value.slice(0, 43));
    expect(new Set(ids).size).toBe(200);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(id, 'base64url').length).toBe(32);
    }
  });

  it('S2: no fixed prefix bytes, balanced bits and uniform characters across 10,000 IDs', () => {
    const count = 10_000;
    const ids = Array.from({ length: count }, () => generateSessionId());
    const bytes = ids.map((id) => Buffer.from(id, 'base64url'));

    // No fixed or slowly changing bytes (timestamps, counters): every byte position takes many values.
    for (let position = 0; position < 32; position++) {
      const seen = new Set(bytes.map((b) => b[position]));
      expect(seen.size, `byte ${position}`).toBeGreaterThan(240);
    }

    // Every one of the 256 bits is set in about half of the IDs (6 standard deviations).
    const sigma = Math.sqrt(count / 4);
    for (let bit = 0; bit < 256; bit++) {
      let ones = 0;
      for (const b of bytes) ones += ((b[bit >> 3] as number) >> (7 - (bit & 7))) & 1;
      expect(Math.abs(ones - count / 2), `bit ${bit}`).toBeLessThan(6 * sigma);
    }

    // Characters 0..41 each carry 6 random bits: chi-square over the 64 symbols stays far below
    // what a biased or structured generator gives (63 degrees of freedom, mean 63, sd about 11).
    const counts = new Map<string, number>();
    for (const id of ids) {
      for (let i = 0; i < 42; i++) {
        const c = id[i] as string;
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
    expect(counts.size).toBe(64);
    const expected = (count * 42) / 64;
    let chiSquare = 0;
    for (const observed of counts.values()) chiSquare += (observed - expected) ** 2 / expected;
    expect(chiSquare).toBeLessThan(160);

    // Consecutive IDs share no more leading bytes than chance (a counter or clock would).
    let sharedFirstTwoBytes = 0;
    for (let i = 1; i < count; i++) {
      const a = bytes[i - 1] as Buffer;
      const b = bytes[i] as Buffer;
      if (a[0] === b[0] && a[1] === b[1]) sharedFirstTwoBytes++;
    }
    expect(sharedFirstTwoBytes).toBeLessThan(10);
  });

  it('S2: IDs do not depend on the clock (a frozen clock still yields distinct, unrelated IDs)', () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    try {
      const ids = Array.from({ length: 1_000 }, () => generateSessionId());
      expect(new Set(ids).size).toBe(1_000);
      const prefixes = new Set(ids.map((id) => id.slice(0, 4)));
      expect(prefixes.size).toBeGreaterThan(990);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('S27: signed cookie values', () => {
  it('S27: the value is `<id>.<HMAC-SHA256(secret, purpose NUL id)>`, base64url', async () => {
    const { sessions } = setup();
    const value = await issue(sessions);
    expect(value).toHaveLength(87);
    expect(value[43]).toBe('.');
    const id = value.slice(0, 43);
    expect(value.slice(44)).toBe(hmacBase64url(SECRET, PURPOSE, id));
    // The internal signer agrees with an independent HMAC implementation.
    const signer = new IdSigner([encoder.encode(SECRET)], PURPOSE);
    expect(await signer.sign(id)).toBe(value);
    expect(await signer.verify(value)).toEqual({ id, secretIndex: 0 });
  });

  it('S27: a valid value is accepted (control for the rejections below)', async () => {
    const { sessions, store } = setup();
    const value = await issue(sessions, 'data');
    store.reset();
    const result = await visit(sessions, `sid=${value}`);
    expect(result.isNew).toBe(false);
    expect(result.value).toBe('data');
    expect(store.calls.load).toBe(1);
  });

  it('S27: a value with anything appended is rejected with zero store calls', async () => {
    const { sessions, store, events } = setup();
    const value = await issue(sessions, 'data');
    const appended = [
      `${value}A`,
      `${value}.`,
      `${value}=`,
      `${value}==`,
      `${value}.${value}`,
      `${value}${value}`,
      `${value}%00`,
      `${value}\u0000`,
      `${value}x`.repeat(3),
    ];
    for (const tampered of appended) {
      store.reset();
      events.length = 0;
      const result = await visit(sessions, `sid=${tampered}`);
      expect(result.isNew, tampered).toBe(true);
      expect(result.value).toBeUndefined();
      expect(result.commit.setCookie).toBeUndefined();
      expect(store.total).toBe(0);
      expect(events).toContainEqual({ type: 'invalid-cookie', reason: 'malformed' });
    }
  });

  it('S27: a truncated value is rejected with zero store calls', async () => {
    const { sessions, store } = setup();
    const value = await issue(sessions, 'data');
    for (const length of [0, 1, 42, 43, 44, 45, 60, 85, 86]) {
      store.reset();
      const result = await visit(sessions, `sid=${value.slice(0, length)}`);
      expect(result.isNew, `length ${length}`).toBe(true);
      expect(store.total).toBe(0);
    }
    // Truncated at the front, too.
    store.reset();
    expect((await visit(sessions, `sid=${value.slice(1)}`)).isNew).toBe(true);
    expect(store.total).toBe(0);
  });

  it('S27: one character changed anywhere in the id or the MAC is rejected as a bad signature, with zero store calls', async () => {
    const { sessions, store, events } = setup();
    const value = await issue(sessions, 'data');
    for (let position = 0; position < 87; position++) {
      if (position === 43) continue;
      const tampered = replaceAt(value, position, otherChar(value[position] as string));
      store.reset();
      events.length = 0;
      const result = await visit(sessions, `sid=${tampered}`);
      expect(result.isNew, `position ${position}`).toBe(true);
      expect(result.value).toBeUndefined();
      expect(store.total).toBe(0);
      expect(events).toContainEqual({ type: 'invalid-cookie', reason: 'bad-signature' });
    }
    // The dot replaced by another character.
    store.reset();
    expect((await visit(sessions, `sid=${replaceAt(value, 43, 'A')}`)).isNew).toBe(true);
    expect(store.total).toBe(0);
  });

  it('S27: a non-canonical MAC (same bytes, spare bits set in the last character) is rejected', async () => {
    const { sessions, store } = setup();
    const value = await issue(sessions, 'data');
    const last = value[86] as string;
    const index = ALPHABET.indexOf(last);
    // The last of 43 characters carries 4 data bits and 2 spare bits: these 3 variants decode to
    // the same 32 bytes in a lenient decoder.
    for (let spare = 1; spare < 4; spare++) {
      const variant = replaceAt(value, 86, ALPHABET[(index & ~3) | spare] as string);
      expect(variant).not.toBe(value);
      expect(
        Buffer.from(variant.slice(44), 'base64url').equals(
          Buffer.from(value.slice(44), 'base64url'),
        ),
      ).toBe(true);
      expect(decodeBase64url(variant.slice(44))).toBeUndefined();
      store.reset();
      const result = await visit(sessions, `sid=${variant}`);
      expect(result.isNew).toBe(true);
      expect(store.total).toBe(0);
    }
  });

  it('S27: the id of one session with the MAC of another is rejected', async () => {
    const { sessions, store } = setup();
    const a = await issue(sessions, 'a');
    const b = await issue(sessions, 'b');
    store.reset();
    const result = await visit(sessions, `sid=${a.slice(0, 44)}${b.slice(44)}`);
    expect(result.isNew).toBe(true);
    expect(store.total).toBe(0);
  });

  it('S27: the MAC of another secret is rejected, with zero store calls', async () => {
    const { sessions, store, events } = setup();
    const value = await issue(sessions, 'data');
    const id = value.slice(0, 43);
    const forged = await new IdSigner([encoder.encode(OTHER_SECRET)], PURPOSE).sign(id);
    expect(forged.slice(0, 44)).toBe(value.slice(0, 44));
    expect(forged).not.toBe(value);
    store.reset();
    const result = await visit(sessions, `sid=${forged}`);
    expect(result.isNew).toBe(true);
    expect(result.value).toBeUndefined();
    expect(store.total).toBe(0);
    expect(events).toContainEqual({ type: 'invalid-cookie', reason: 'bad-signature' });
  });

  it('S27: a MAC computed with the same secret for another purpose is rejected', async () => {
    const { sessions, store, events } = setup();
    const value = await issue(sessions, 'data');
    const id = value.slice(0, 43);
    for (const purpose of [
      'csrf-token',
      'fetch-session/session-id/v2',
      `${PURPOSE} `,
      'password-reset',
    ]) {
      const other = await new IdSigner([encoder.encode(SECRET)], purpose).sign(id);
      expect(other.slice(0, 43)).toBe(id);
      expect(other).not.toBe(value);
      store.reset();
      events.length = 0;
      const result = await visit(sessions, `sid=${other}`);
      expect(result.isNew, purpose).toBe(true);
      expect(store.total).toBe(0);
      expect(events).toContainEqual({ type: 'invalid-cookie', reason: 'bad-signature' });
    }
  });

  it('S27: a manager with another purpose and the same secret and store does not accept our cookies', async () => {
    const shared = memoryStore();
    const main = setup({ store: shared });
    const other = setup({ store: shared, purpose: 'another-app' });
    const value = await issue(main.sessions, 'data');
    other.store.reset();
    const result = await visit(other.sessions, `sid=${value}`);
    expect(result.isNew).toBe(true);
    expect(other.store.total).toBe(0);
    // The main manager still accepts it (the rejection is about the purpose, not the value).
    expect((await visit(main.sessions, `sid=${value}`)).value).toBe('data');
  });

  it('S27: rotation: an old secret still listed verifies, and the response re-signs with the newest', async () => {
    const shared = memoryStore();
    const before = setup({ store: shared, secrets: [OTHER_SECRET] });
    const oldValue = await issue(before.sessions, 'data');
    const id = oldValue.slice(0, 43);

    const rotated = setup({ store: shared, secrets: [SECRET, OTHER_SECRET] });
    const first = await visit(rotated.sessions, `sid=${oldValue}`);
    expect(first.isNew).toBe(false);
    expect(first.value).toBe('data');
    const setCookie = first.commit.setCookie;
    expect(setCookie).toBeDefined();
    const newValue = (setCookie as string).split(';')[0]?.slice('sid='.length) as string;
    expect(newValue).not.toBe(oldValue);
    // Same session, same ID; only the MAC changed, and it is the newest secret's.
    expect(newValue.slice(0, 43)).toBe(id);
    expect(newValue.slice(44)).toBe(hmacBase64url(SECRET, PURPOSE, id));
    // Not a permanent session: the re-issued cookie stays a browser-session cookie.
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);

    // The re-signed value works and needs no further re-signing.
    const second = await visit(rotated.sessions, `sid=${newValue}`);
    expect(second.value).toBe('data');
    expect(second.commit.setCookie).toBeUndefined();

    // Once the old secret is removed from the list, the old value no longer verifies.
    const after = setup({ store: shared, secrets: [SECRET] });
    const replay = await visit(after.sessions, `sid=${oldValue}`);
    expect(replay.isNew).toBe(true);
    expect(replay.value).toBeUndefined();
    expect(after.store.total).toBe(0);
    expect(after.events).toContainEqual({ type: 'invalid-cookie', reason: 'bad-signature' });
    expect((await visit(after.sessions, `sid=${newValue}`)).value).toBe('data');
  });

  it('S27: the signer refuses anything that is not exactly <43>.<43> base64url without calling Web Crypto', async () => {
    const signer = new IdSigner([encoder.encode(SECRET)], PURPOSE);
    const value = await signer.sign(generateSessionId());
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    for (const bad of [
      '',
      value.slice(0, 86),
      `${value}A`,
      value.replace('.', ':'),
      ` ${value.slice(1)}`,
    ]) {
      expect(await signer.verify(bad)).toBeUndefined();
    }
    expect(verify).not.toHaveBeenCalled();
    expect(await signer.verify(value)).toBeDefined();
  });
});

describe('S28: store keys', () => {
  /** A memory store that records every key it is given. */
  function recordingStore() {
    const inner = memoryStore();
    const keys: string[] = [];
    const store: SessionStore = {
      name: 'recording',
      load(key) {
        keys.push(key);
        return inner.load(key);
      },
      write(key, patch, options) {
        keys.push(key);
        return inner.write(key, patch, options);
      },
      delete(key) {
        keys.push(key);
        return inner.delete(key);
      },
    };
    return { store, keys, inner };
  }

  it('S28: the store key is prefix + base64url(SHA-256(id)), never the raw id or the cookie value', async () => {
    const { store, keys } = recordingStore();
    const { sessions } = setup({ store });
    const value = await issue(sessions, 'data');
    const id = value.slice(0, 43);
    const mac = value.slice(44);
    const expected = `sess:${sha256Base64url(id)}`;

    expect((await visit(sessions, `sid=${value}`)).value).toBe('data');
    const session = sessions.open(`sid=${value}`);
    await session.set('k', 'changed');
    await sessions.commit(session);

    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys) {
      expect(key).toBe(expected);
      expect(key).not.toContain(id);
      expect(key).not.toContain(value);
      expect(key).not.toContain(mac);
      expect(key).not.toContain(id.slice(0, 16));
    }
  });

  it('S28: a custom keyPrefix is kept and the rest is still the hash of the id', async () => {
    const { store, keys } = recordingStore();
    const { sessions } = setup({ store, keyPrefix: 'app1:sessions:' });
    const value = await issue(sessions);
    expect(keys).toEqual([`app1:sessions:${sha256Base64url(value.slice(0, 43))}`]);
  });

  it('S28: regenerate and destroy address the store by hashed keys only', async () => {
    const { store, keys, inner } = recordingStore();
    const { sessions } = setup({ store });
    const value = await issue(sessions, 'data');
    const session = sessions.open(`sid=${value}`);
    await session.regenerate();
    const { setCookie } = await sessions.commit(session);
    const newValue = (setCookie as string).split(';')[0]?.slice(4) as string;
    const killer = sessions.open(`sid=${newValue}`);
    await killer.destroy();
    await sessions.commit(killer);

    const allowed = new Set([
      `sess:${sha256Base64url(value.slice(0, 43))}`,
      `sess:${sha256Base64url(newValue.slice(0, 43))}`,
    ]);
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const key of keys) expect(allowed.has(key), key).toBe(true);
    expect(inner.size).toBe(0);
  });

  it('S28: the stored record holds neither the id nor the cookie value', async () => {
    const { store, keys, inner } = recordingStore();
    const { sessions } = setup({ store });
    const value = await issue(sessions, 'data');
    const record = (await inner.load(keys[0] as string)) as SessionRecord;
    const dump = JSON.stringify(record);
    expect(dump).toContain('data');
    expect(dump).not.toContain(value.slice(0, 43));
    expect(dump).not.toContain(value.slice(44));
  });
});

describe('S9: the ID is read only from the configured cookie', () => {
  it('S9: a valid value in a query parameter, form field or custom header is ignored', async () => {
    const { sessions, store } = setup();
    const value = await issue(sessions, 'data');
    const requests = [
      new Request(`https://example.test/?sid=${value}`),
      new Request(`https://example.test/?session=${value}&sid=${value}`),
      new Request('https://example.test/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `sid=${value}`,
      }),
      new Request('https://example.test/', { headers: { 'x-session-id': value } }),
      new Request('https://example.test/', { headers: { authorization: `Bearer ${value}` } }),
      new Request('https://example.test/', {
        headers: { 'x-sid': `sid=${value}`, 'set-cookie': `sid=${value}` },
      }),
      new Request('https://example.test/', {
        headers: { cookie: `session=${value}; SID=${value}; sid_=${value}` },
      }),
    ];
    for (const request of requests) {
      store.reset();
      const result = await visit(sessions, request);
      expect(result.isNew, request.url).toBe(true);
      expect(result.value).toBeUndefined();
      expect(store.total).toBe(0);
    }
    // Headers passed directly behave the same.
    expect((await visit(sessions, new Headers({ 'x-session-id': value }))).isNew).toBe(true);
  });

  it('S9: the same value in the Cookie header is accepted (control)', async () => {
    const { sessions } = setup();
    const value = await issue(sessions, 'data');
    const request = new Request(`https://example.test/?sid=garbage`, {
      headers: { cookie: `theme=dark; sid=${value}`, 'x-session-id': 'garbage' },
    });
    expect((await visit(sessions, request)).value).toBe('data');
    expect((await visit(sessions, new Headers({ cookie: `sid=${value}` }))).value).toBe('data');
  });

  it('S9: with a custom cookie name, a `sid` cookie carrying a valid value is ignored', async () => {
    const { sessions, store } = setup({ cookie: { name: 'app_session' } });
    const value = await issue(sessions, 'data');
    store.reset();
    expect((await visit(sessions, `sid=${value}`)).isNew).toBe(true);
    expect(store.total).toBe(0);
    expect((await visit(sessions, `app_session=${value}`)).value).toBe('data');
  });
});

describe('S11: malformed values never reach the store', () => {
  it('S11: malformed values give a new session and zero store calls', async () => {
    const { sessions, store, events } = setup();
    const value = await issue(sessions, 'data');
    const id = value.slice(0, 43);
    const mac = value.slice(44);
    const malformed: Array<[string, string]> = [
      ['empty', ''],
      ['short', 'abc'],
      ['id only', id],
      ['86 chars', 'A'.repeat(86)],
      ['87 chars, no dot', 'A'.repeat(87)],
      ['88 chars', `${id}.${mac}A`],
      ['overlong', `${id}.${mac}`.repeat(50)],
      ['dot elsewhere', `${id.slice(0, 42)}.${id.slice(42)}${mac}`],
      ['two dots', `${id}..${mac.slice(1)}`],
      ['colon separator', `${id}:${mac}`],
      ['..', '..'],
      ['path traversal', `../../${id}`],
      ['path traversal, right length', `..${id.slice(2)}.${mac}`],
      ['slash', '/'],
      ['slash inside', replaceAt(value, 10, '/')],
      ['standard base64 +', replaceAt(value, 20, '+')],
      ['colon', ':'],
      ['colon inside', replaceAt(value, 5, ':')],
      ['star', '*'],
      ['store glob', 'sess:*'],
      ['star inside', replaceAt(value, 50, '*')],
      ['NUL', '\u0000'],
      ['NUL inside', replaceAt(value, 30, '\u0000')],
      ['non-ASCII', 'é'.repeat(87)],
      ['non-ASCII inside', replaceAt(value, 12, 'é')],
      ['non-BMP inside', `${id}.${mac.slice(0, 41)}😀`],
      ['fullwidth letter inside', replaceAt(value, 0, 'Ａ')],
      ['padding =', `${id}.${mac.slice(0, 42)}=`],
      ['padding ==', `${id}.${mac}==`],
      ['padding in id', `${id.slice(0, 42)}=.${mac}`],
      ['inner space', replaceAt(value, 40, ' ')],
      ['inner tab', replaceAt(value, 70, '\t')],
      ['quoted', `"${value}"`],
      ['percent-encoded dot', `${id}%2E${mac}`],
      ['backslash', replaceAt(value, 33, '\\')],
      ['comma', replaceAt(value, 33, ',')],
    ];
    for (const [label, bad] of malformed) {
      store.reset();
      events.length = 0;
      const result = await visit(sessions, `sid=${bad}`);
      expect(result.isNew, label).toBe(true);
      expect(result.value, label).toBeUndefined();
      expect(result.commit.setCookie, label).toBeUndefined();
      expect(store.total, label).toBe(0);
      const invalid = events.filter((event) => event.type === 'invalid-cookie');
      // A value that trims to nothing or to another shape is still refused before the store.
      expect(invalid.length, label).toBeLessThanOrEqual(1);
      expect(
        events.some((event) => event.type === 'loaded' || event.type === 'unknown-session'),
        label,
      ).toBe(false);
    }
  });

  it('S11: a malformed value is refused before any crypto work', async () => {
    const { sessions } = setup();
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    const digest = vi.spyOn(globalThis.crypto.subtle, 'digest');
    for (const bad of ['..', '/', '*', '\u0000', 'A'.repeat(88), 'é'.repeat(87)]) {
      expect((await visit(sessions, `sid=${bad}`)).isNew).toBe(true);
    }
    expect(verify).not.toHaveBeenCalled();
    expect(digest).not.toHaveBeenCalled();
  });

  it('S11: writing after a malformed value creates a fresh ID unrelated to the client value', async () => {
    const { sessions, store } = setup();
    const planted = `${'A'.repeat(43)}.${'A'.repeat(43)}`;
    const session = sessions.open(`sid=${planted}`);
    await session.set('k', 'new');
    const { setCookie } = await sessions.commit(session);
    const issued = (setCookie as string).split(';')[0]?.slice(4) as string;
    expect(issued).not.toBe(planted);
    expect(issued.slice(0, 43)).not.toBe(planted.slice(0, 43));
    expect(store.calls.load).toBe(0);
    expect(store.calls.write).toBe(1);
  });
});
