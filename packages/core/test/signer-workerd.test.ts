// The signer inside real workerd (Miniflare): it picks Web Crypto there (decision 0010) and
// signs and verifies exactly like node:crypto's HMAC (S27).
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, it } from 'vitest';

const SECRETS = [
  'workerd-signer-newest-secret-0123456789abcdef',
  'workerd-signer-oldest-secret-0123456789abcdef',
];
const PURPOSE = 'fetch-session/session-id/v1';
const ID = 'kq3J5mD0b4N2yRw8aXz1VfC7uLh9pE6tGs0oYiWnBcQ';
const macOf = (secret: string, id: string) =>
  createHmac('sha256', secret).update(`${PURPOSE}\u0000${id}`).digest('base64url');

// Counts crypto.subtle.sign calls by wrapping it (the real one runs), then signs and verifies.
const WORKER = `
import { IdSigner } from './signer.ts';
import { preferredHmacImplementation } from './hmac-sha256.ts';
let subtleSigns = 0;
const sign = crypto.subtle.sign.bind(crypto.subtle);
crypto.subtle.sign = (...args) => { subtleSigns++; return sign(...args); };
export default {
  async fetch(request) {
    const { secrets, purpose, id, values } = await request.json();
    const encoder = new TextEncoder();
    const signer = new IdSigner(secrets.map((s) => encoder.encode(s)), purpose);
    subtleSigns = 0;
    const signed = await signer.sign(id);
    const verified = [];
    for (const value of values) verified.push((await signer.verify(value)) ?? null);
    return Response.json({ implementation: preferredHmacImplementation(), signed, verified, subtleSigns });
  },
};`;

let mf: Miniflare | undefined;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: WORKER,
      resolveDir: fileURLToPath(new URL('../src', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text as string,
    compatibilityDate: '2026-04-01',
  });
  await mf.ready;
}, 120_000); // a hang guard for a loaded machine; no time is asserted

afterAll(async () => {
  await mf?.dispose();
});

it('S27: in workerd the signer uses Web Crypto and agrees with node:crypto (sign, rotation, forgery)', async () => {
  const forged = `${ID}.${macOf('an-unlisted-secret-of-enough-length-0123456789', ID)}`;
  const response = await (mf as Miniflare).dispatchFetch('http://worker.test/', {
    method: 'POST',
    body: JSON.stringify({
      secrets: SECRETS,
      purpose: PURPOSE,
      id: ID,
      values: [
        `${ID}.${macOf(SECRETS[0] as string, ID)}`,
        `${ID}.${macOf(SECRETS[1] as string, ID)}`,
        forged,
      ],
    }),
  });
  const result = (await response.json()) as Record<string, unknown>;
  expect(result.implementation).toBe('web-crypto');
  expect(result.signed).toBe(`${ID}.${macOf(SECRETS[0] as string, ID)}`);
  expect(result.verified).toEqual([{ id: ID, secretIndex: 0 }, { id: ID, secretIndex: 1 }, null]);
  // 1 to sign, then 1 (newest) + 2 (oldest) + 2 (forged: one per secret) to verify.
  expect(result.subtleSigns).toBe(6);
}, 60_000);
