/**
 * The session secret: from the environment, or in development a random one with a warning
 * (sessions then end when the server restarts). Production without a secret is refused.
 */
export function sessionSecret(
  configured: string | undefined,
  production: boolean,
  warn: (message: string) => void,
): string {
  if (configured !== undefined && configured !== '') return configured;
  if (production) throw new Error('SESSION_SECRET must be set (32+ bytes) in production');
  warn(
    '[demo] SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts.',
  );
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
}
