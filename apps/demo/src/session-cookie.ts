import type { SessionCookieOptions } from '@fetch-session/core';

/**
 * The demo's session cookie. The `__Host-` prefix makes browsers refuse the name unless the
 * cookie is `Secure`, `Path=/` and has no `Domain`, so a sibling subdomain cannot plant a
 * `__Host-sid` for this host (a plain `sid` with a longer `Path` would be sent first).
 * Browsers accept `Secure` cookies, and so this prefix, on http://localhost; anywhere else,
 * serve the demo over HTTPS.
 */
export const sessionCookie: SessionCookieOptions = { name: '__Host-sid' };
