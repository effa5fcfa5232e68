// The signer's HMAC: both implementations, constant-time comparison and the work a forged
// cookie can cause (S27, S11; decision 0010).
import { createHmac } from 'node:crypto';
import { memoryStore } from '@fetch-session/memory';
import { _HMAC } from '@noble/hashes/hmac.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type HmacImplementation,
  macsEqual,
  preferredHmacImplementation,
} from '../src/hmac-sha256.js';
import { IdSigner } from '../src/signer.js';
import { issue, setupCounted, visit } from './counted-sessions.js';

// Spy-through, not a fake: the real macsEqual runs; the spy lets a test see that verify uses it.
vi.mock('../src/hmac-sha256.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/hmac-sha256.js')>();
  return { ...original, macsEqual: vi.fn(original.macsEqual) };
});

const SECRETS = [
  'signer-hmac-newest-secret-0123456789abcdefgh',
  'signer-hmac-middle-secret-0123456789abcdefgh',
  'signer-hmac-oldest-secret-0123456789abcdefgh',
];
const PURPOSE = 'fetch-session/session-id/v1';
const ID = 'kq3J5mD0b4N2yRw8aXz1VfC7uLh9pE6tGs0oYiWnBcQ';
const encoder = new TextEncoder();
const IMPLEMENTATIONS: HmacImplementation[] = ['javascript', 'web-crypto'];

const macOf = (secret: string, purpose: string, id: string) =>
  createHmac('sha256', secret).update(`${purpose}\u0000${id}`).digest('base64url');
const signerWith = (secrets: string[], hmac: HmacImplementation, purpose = PURPOSE) =>
  new IdSigner(
    secrets.map((secret) => encoder.encode(secret)),
    purpose,
    { hmac },
  );
/** A 32-byte array whose element reads are counted. */
function countingBytes(bytes: Uint8Array, reads: { count: number }): Uint8Array {
  return new Proxy(bytes, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.count++;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' && receiver !== target ? value.bind(target) : value;
    },
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.mocked(macsEqual).mockClear();
  vi.unstubAllGlobals();
});

describe.each(IMPLEMENTATIONS)('S27: the %s HMAC', (hmac) => {
  it('S27: signs `<id>.<HMAC-SHA256(first secret, purpose NUL id)>` like node:crypto', async () => {
    const signer = signerWith(SECRETS, hmac);
    expect(await signer.sign(ID)).toBe(`${ID}.${macOf(SECRETS[0] as string, PURPOSE, ID)}`);
  });

  it('S27: every listed secret verifies and reports its index; an unlisted one does not', async () => {
    const signer = signerWith(SECRETS, hmac);
    for (const [index, secret] of SECRETS.entries()) {
      expect(await signer.verify(`${ID}.${macOf(secret, PURPOSE, ID)}`)).toEqual({
        id: ID,
        secretIndex: index,
      });
    }
    const unlisted = macOf('an-unlisted-secret-of-enough-length-0123456789', PURPOSE, ID);
    expect(await signer.verify(`${ID}.${unlisted}`)).toBeUndefined();
  });

  it('S27: a MAC made with a listed secret for another purpose does not verify', async () => {
    const signer = signerWith(SECRETS, hmac);
    for (const secret of SECRETS) {
      for (const purpose of ['csrf-token', `${PURPOSE} `, 'fetch-session/session-id/v2', '']) {
        expect(await signer.verify(`${ID}.${macOf(secret, purpose, ID)}`), purpose).toBeUndefined();
      }
    }
    // And the other purpose's signer refuses ours.
    const ours = await signerWith(SECRETS, hmac).sign(ID);
    expect(await signerWith(SECRETS, hmac, 'csrf-token').verify(ours)).toBeUndefined();
  });

  it('S27: a forged MAC is compared against each secret, in constant time (macsEqual)', async () => {
    const signer = signerWith(SECRETS, hmac);
    const value = await signer.sign(ID);
    const forged = `${value.slice(0, 86)}${value[86] === 'A' ? 'Q' : 'A'}`;
    vi.mocked(macsEqual).mockClear();
    expect(await signer.verify(forged)).toBeUndefined();
    expect(macsEqual).toHaveBeenCalledTimes(SECRETS.length);
  });
});

describe('S27: constant-time MAC comparison', () => {
  it('S27: macsEqual reads every byte of both MACs wherever the first difference is', () => {
    const mac = new Uint8Array(32).map((_, i) => i * 7);
    for (const position of [0, 1, 16, 31, -1]) {
      const other = mac.slice();
      if (position >= 0) other[position] = (other[position] as number) ^ 1;
      const reads = { count: 0 };
      const equal = macsEqual(countingBytes(mac, reads), countingBytes(other, reads));
      expect(equal, `position ${position}`).toBe(position < 0);
      expect(reads.count, `position ${position}`).toBe(64);
    }
    expect(macsEqual(mac, mac.subarray(0, 31))).toBe(false);
  });
});

describe('S27: the work a cookie can cause is bounded', () => {
  function countMacs() {
    const digest = vi.spyOn(_HMAC.prototype, 'digest');
    const subtle = ['sign', 'verify', 'importKey', 'digest'].map((name) =>
      vi.spyOn(globalThis.crypto.subtle, name as 'sign'),
    );
    return {
      get macs() {
        return digest.mock.calls.length;
      },
      get webCryptoCalls() {
        return subtle.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      },
      reset() {
        digest.mockClear();
        for (const spy of subtle) spy.mockClear();
      },
    };
  }

  it('S27: with 3 secrets a forged cookie costs exactly 3 MACs, no Web Crypto call and no store call', async () => {
    const shared = memoryStore();
    const { sessions, store } = setupCounted(SECRETS[0] as string, {
      store: shared,
      secrets: SECRETS,
    });
    const value = await issue(sessions, 'data');
    const count = countMacs();
    for (let i = 0; i < 20; i++) {
      // A new forgery each time, as an attacker would send: the cache cannot help.
      const id = `${i.toString().padStart(2, '0')}${value.slice(2, 43)}`;
      const forged = `${id}.${macOf('attacker-secret-of-enough-length-0123456789', PURPOSE, id)}`;
      store.reset();
      count.reset();
      expect((await visit(sessions, `sid=${forged}`)).isNew).toBe(true);
      expect(count.macs).toBe(3);
      expect(count.webCryptoCalls).toBe(0);
      expect(store.total).toBe(0);
    }
  });

  it('S27: a cookie of the newest secret costs 1 MAC, of the oldest 3 plus 1 to re-sign, a repeat 0', async () => {
    const shared = memoryStore();
    const old = setupCounted(SECRETS[2] as string, { store: shared });
    const oldValue = await issue(old.sessions, 'data');
    const { sessions } = setupCounted(SECRETS[0] as string, { store: shared, secrets: SECRETS });
    const newValue = await issue(sessions, 'data');
    const count = countMacs();

    expect((await visit(sessions, `sid=${newValue}`)).value).toBe('data');
    expect(count.macs).toBe(0); // issued by this manager: already in the verified-cookie cache

    const fresh = setupCounted(SECRETS[0] as string, { store: shared, secrets: SECRETS });
    count.reset();
    expect((await visit(fresh.sessions, `sid=${newValue}`)).value).toBe('data');
    expect(count.macs).toBe(1);
    count.reset();
    expect((await visit(fresh.sessions, `sid=${newValue}`)).value).toBe('data');
    expect(count.macs).toBe(0);

    count.reset();
    const rotated = await visit(fresh.sessions, `sid=${oldValue}`);
    expect(rotated.value).toBe('data');
    expect(rotated.commit.setCookie).toBeDefined();
    expect(count.macs).toBe(3 + 1);
    expect(count.webCryptoCalls).toBe(0);
  });

  it('S11: a cookie of the wrong shape costs no MAC at all', async () => {
    const { sessions } = setupCounted(SECRETS[0] as string, { secrets: SECRETS });
    const count = countMacs();
    for (const bad of ['', 'x', 'A'.repeat(87), `${'A'.repeat(43)}.${'A'.repeat(42)}=`, '..']) {
      expect((await visit(sessions, `sid=${bad}`)).isNew).toBe(true);
    }
    expect(count.macs).toBe(0);
    expect(count.webCryptoCalls).toBe(0);
  });
});

describe('the HMAC implementation is chosen by runtime feature', () => {
  it('uses the JavaScript HMAC on Node (Web Crypto hops to a worker thread here)', () => {
    expect(preferredHmacImplementation()).toBe('javascript');
  });

  it("uses Web Crypto where navigator.userAgent is workerd's 'Cloudflare-Workers' (stubbed global)", async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    expect(preferredHmacImplementation()).toBe('web-crypto');
    const sign = vi.spyOn(globalThis.crypto.subtle, 'sign');
    const signer = new IdSigner([encoder.encode(SECRETS[0] as string)], PURPOSE);
    expect(await signer.sign(ID)).toBe(`${ID}.${macOf(SECRETS[0] as string, PURPOSE, ID)}`);
    expect(sign).toHaveBeenCalledTimes(1);
  });
});
