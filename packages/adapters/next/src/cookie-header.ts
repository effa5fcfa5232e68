/**
 * Small, bounded string helpers between the core's `Set-Cookie` values and the shapes Next.js
 * wants: `cookies().set()` options, a forwarded `cookie` request header.
 * @module
 */
import { parseSetCookie } from 'cookie';

/** The object `cookies().set()` takes (Next's `ResponseCookie`). */
export interface CookieInit {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  priority?: 'low' | 'medium' | 'high';
  partitioned?: boolean;
}

/** Only space and tab are whitespace in cookie names, as browsers and the core see it (S32). */
function trimSpaceTab(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
  while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return text.slice(start, end);
}

/**
 * Turns a `Set-Cookie` value the core serialized into `cookies().set()` options, so a Server
 * Action sets exactly the cookie a route handler would send. Parsed by the `cookie` library,
 * the same that wrote it; values are taken as they are (no URI decoding).
 */
export function toCookieInit(setCookie: string): CookieInit {
  const parsed = parseSetCookie(setCookie, { decode: (value) => value });
  const cookie: CookieInit = { name: parsed.name, value: parsed.value ?? '' };
  if (parsed.path !== undefined) cookie.path = parsed.path;
  if (parsed.domain !== undefined) cookie.domain = parsed.domain;
  if (parsed.maxAge !== undefined) cookie.maxAge = parsed.maxAge;
  if (parsed.expires !== undefined) cookie.expires = parsed.expires;
  if (parsed.httpOnly) cookie.httpOnly = true;
  if (parsed.secure) cookie.secure = true;
  if (parsed.partitioned) cookie.partitioned = true;
  if (parsed.sameSite === 'lax' || parsed.sameSite === 'strict' || parsed.sameSite === 'none') {
    cookie.sameSite = parsed.sameSite;
  }
  if (parsed.priority !== undefined) cookie.priority = parsed.priority;
  return cookie;
}

/** Whether a `Set-Cookie` value removes its cookie (the core's expired cookie has `Max-Age=0`). */
export function isExpiring(cookie: CookieInit): boolean {
  return cookie.maxAge !== undefined && cookie.maxAge <= 0;
}

/**
 * A `cookie` request header with `name` set to `value` (or removed, when `value` is
 * `undefined`): the first occurrence is replaced in place and later duplicates dropped, so
 * every reader downstream (first-wins or last-wins) sees the same value.
 */
export function replaceCookie(
  header: string | null,
  name: string,
  value: string | undefined,
): string {
  const pairs: string[] = [];
  let replaced = false;
  if (header !== null) {
    for (const part of header.split(';')) {
      const eq = part.indexOf('=');
      if (trimSpaceTab(eq === -1 ? part : part.slice(0, eq)) === name) {
        if (!replaced && value !== undefined) pairs.push(`${name}=${value}`);
        replaced = true;
        continue;
      }
      const pair = trimSpaceTab(part);
      if (pair !== '') pairs.push(pair);
    }
  }
  if (!replaced && value !== undefined) pairs.unshift(`${name}=${value}`);
  return pairs.join('; ');
}

/**
 * The value Next's `RequestCookies` gives `name` for a raw `cookie` header: pairs split on
 * `;`, names untrimmed, values URI-decoded, the last duplicate winning. Used only to tell
 * whether `cookies()` still reflects the raw header.
 */
export function nextCookieValue(header: string | null, name: string): string | undefined {
  if (header === null) return undefined;
  let found: string | undefined;
  for (const pair of header.split(/; */)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) {
      if (pair === name) found = 'true';
      continue;
    }
    if (pair.slice(0, eq) !== name) continue;
    try {
      found = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      // Next skips values it cannot decode.
    }
  }
  return found;
}
