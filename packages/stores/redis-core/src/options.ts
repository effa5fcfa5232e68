/**
 * The option every Redis store shares.
 * @module
 */
import { SessionConfigError } from '@fetch-session/core/errors';

/**
 * Checks a `keyPrefix` option (the manager's rule: a string of at most 128 bytes). With
 * `cluster`, also no `{` or `}`: a hash tag in the prefix would put every session and every
 * index in one slot, on one node.
 */
export function resolveKeyPrefix(
  value: unknown,
  { cluster = false }: { readonly cluster?: boolean } = {},
): string {
  const keyPrefix = value ?? 'sess:';
  if (typeof keyPrefix !== 'string' || new TextEncoder().encode(keyPrefix).length > 128) {
    throw new SessionConfigError('keyPrefix', 'must be a string of at most 128 bytes (UTF-8)');
  }
  if (cluster && /[{}]/.test(keyPrefix)) {
    throw new SessionConfigError(
      'keyPrefix',
      'must not contain `{` or `}`: a Redis Cluster hash tag would put every session in one slot',
    );
  }
  return keyPrefix;
}
