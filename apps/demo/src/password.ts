// PBKDF2-HMAC-SHA256 with OWASP's iteration count (Password Storage Cheat Sheet, 2023+).
// Cloudflare's hosted Workers refuse more than 100,000 iterations (workerd issue #1346), so
// there the demo settles for that; a real app on Workers should prefer a dedicated service.
const onWorkers = globalThis.navigator?.userAgent === 'Cloudflare-Workers';
export const PBKDF2_ITERATIONS: number = onWorkers ? 100_000 : 600_000;
const encoder = new TextEncoder();

/** A stored password hash: salt and derived key. */
export interface PasswordHash {
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
}

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { salt, hash: await derive(password, salt) };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt);
  // Constant-time comparison: no early exit on the first differing byte.
  let difference = candidate.length ^ stored.hash.length;
  for (let i = 0; i < candidate.length; i++)
    difference |= (candidate[i] ?? 0) ^ (stored.hash[i] ?? 0);
  return difference === 0;
}
