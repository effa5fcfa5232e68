/**
 * `DEMO_DEBUG_ROUTES`: `1` mounts `/debug/session`; unset, empty or `0` leaves it out (404).
 * Anything else is refused rather than guessed, and so is `1` in production.
 */
export function debugRoutesSetting(value: string | undefined, production: boolean): boolean {
  if (value === undefined || value === '' || value === '0') return false;
  if (value !== '1') {
    throw new Error(
      `DEMO_DEBUG_ROUTES must be 1 (on) or 0 / unset (off), not ${JSON.stringify(value)}`,
    );
  }
  if (production) throw new Error('DEMO_DEBUG_ROUTES=1 is refused in production');
  return true;
}
