/**
 * The HMAC-SHA256 operations compared by `hmac.js`, written with Web APIs and `@noble/hashes`
 * only, so the same file runs on Node, Bun, Deno and (bundled) in workerd.
 *
 * The message is what the session signer MACs: `purpose NUL id`, 71 bytes. "Verify" checks a
 * MAC against 3 secrets the way a signer with a rotation list does: the cookie was signed by
 * the newest secret, by the oldest, or by none (forged).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const encoder = new TextEncoder();
const PURPOSE = 'fetch-session/session-id/v1';
const ID = 'kq3J5mD0b4N2yRw8aXz1VfC7uLh9pE6tGs0oYiWnBcQ';
const SECRETS = [
  'bench-secret-newest-0123456789abcdefghijklmnop',
  'bench-secret-middle-0123456789abcdefghijklmnop',
  'bench-secret-oldest-0123456789abcdefghijklmnop',
].map((secret) => encoder.encode(secret));

/** Constant-time equality of two byte arrays of the same length. */
function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Builds every case. Each case is `(n) => Promise<void>` doing `n` operations, so that a
 * runner can time a batch (in workerd, from outside the isolate).
 */
export async function createHmacCases() {
  const message = encoder.encode(`${PURPOSE}\u0000${ID}`);
  const idBytes = encoder.encode(ID);
  const keys = await Promise.all(
    SECRETS.map((secret) =>
      crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
        'verify',
      ]),
    ),
  );
  // Pre-keyed: the key's ipad/opad blocks and the purpose prefix are absorbed once.
  const keyed = SECRETS.map((secret) =>
    hmac.create(sha256, secret).update(encoder.encode(`${PURPOSE}\u0000`)),
  );
  const nobleMac = (index) => keyed[index].clone().update(idBytes).digest();

  const macs = await Promise.all(
    keys.map(async (key) => new Uint8Array(await crypto.subtle.sign('HMAC', key, message))),
  );
  const forged = new Uint8Array(32).fill(7);
  const signedBy = { newest: macs[0], oldest: macs[2], forged };

  const webVerify = async (mac) => {
    for (const key of keys) if (await crypto.subtle.verify('HMAC', key, mac, message)) return true;
    return false;
  };
  const nobleVerify = (mac) => {
    for (let i = 0; i < keyed.length; i++) if (equalBytes(nobleMac(i), mac)) return true;
    return false;
  };

  // Both implementations must agree before anything is timed.
  for (let i = 0; i < keys.length; i++) {
    if (!equalBytes(nobleMac(i), macs[i])) throw new Error(`noble and Web Crypto differ (${i})`);
  }
  if (!(await webVerify(macs[2])) || (await webVerify(forged)) || nobleVerify(forged)) {
    throw new Error('verify cases are wrong');
  }

  const cases = {
    /** Nothing: the cost of the harness itself. */
    empty: async () => {},
    /** `crypto.subtle.sign`, awaited one at a time: the latency a request sees. */
    'web-crypto sign': async (n) => {
      for (let i = 0; i < n; i++) await crypto.subtle.sign('HMAC', keys[0], message);
    },
    /** `crypto.subtle.sign`, 10 in flight: throughput under concurrency. */
    'web-crypto sign, 10 in flight': async (n) => {
      for (let i = 0; i < n; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, () => crypto.subtle.sign('HMAC', keys[0], message)),
        );
      }
    },
    /** Pre-keyed `@noble/hashes` HMAC: clone the keyed state, absorb the ID, finish. */
    'noble sign': async (n) => {
      for (let i = 0; i < n; i++) nobleMac(0);
    },
  };
  for (const [label, mac] of Object.entries(signedBy)) {
    cases[`web-crypto verify, 3 secrets, ${label}`] = async (n) => {
      for (let i = 0; i < n; i++) await webVerify(mac);
    };
    cases[`noble verify, 3 secrets, ${label}`] = async (n) => {
      for (let i = 0; i < n; i++) nobleVerify(mac);
    };
  }
  return cases;
}

/** Pairs whose ratio (Web Crypto time / noble time) the report shows. */
export const RATIOS = [
  ['sign', 'web-crypto sign', 'noble sign'],
  ['sign, 10 in flight', 'web-crypto sign, 10 in flight', 'noble sign'],
  ...['newest', 'oldest', 'forged'].map((label) => [
    `verify, 3 secrets, ${label}`,
    `web-crypto verify, 3 secrets, ${label}`,
    `noble verify, 3 secrets, ${label}`,
  ]),
];
