/** KV's limit on the UTF-8 length of a key, as per Cloudflare's documentation. */
export const MAX_KEY_BYTES = 512;

const encoder = new TextEncoder();

/**
 * Throws a `RangeError` (naming sizes, never the key) for a key KV would refuse: empty, `.`,
 * `..` or longer than {@link MAX_KEY_BYTES} in UTF-8. The core's keys are its `keyPrefix` plus
 * 43 characters, so only an overlong prefix can trip this.
 */
export function checkKey(key: string): void {
  if (key === '' || key === '.' || key === '..') {
    throw new RangeError('KV does not accept an empty key, "." or ".."');
  }
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short keys need no encoding.
  if (key.length * 3 <= MAX_KEY_BYTES) return;
  const bytes = encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) {
    throw new RangeError(
      `the store key is ${bytes} bytes; KV keys are at most ${MAX_KEY_BYTES} (shorten the manager's keyPrefix)`,
    );
  }
}
