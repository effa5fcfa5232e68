import type { SessionCommit } from './session-state.js';

/**
 * The headers of a response being built, in whatever shape the framework holds them. `Headers`
 * is one as it is; adapters wrap theirs (Node's `ServerResponse`) in a few lines. `get` returns
 * the field's values joined with `", "`, or `null` when it is absent.
 *
 * @example Node's `ServerResponse`
 * ```ts
 * const sink: HeaderSink = {
 *   get: (name) => {
 *     const value = res.getHeader(name);
 *     return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
 *   },
 *   set: (name, value) => res.setHeader(name, value),
 *   append: (name, value) => res.appendHeader(name, value),
 * };
 * ```
 */
export interface HeaderSink {
  get(name: string): string | null;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
}

/** What the session sets when no shared cache may store the response. */
const PRIVATE_NO_STORE = 'private, no-store';

/**
 * CDN-targeted cache fields (RFC 9213 and the vendors'): a CDN obeys these over
 * `Cache-Control`, so an app's `CDN-Cache-Control: max-age=3600` would still cache the page.
 */
const TARGETED_CACHE_FIELDS = [
  'cdn-cache-control',
  'cloudflare-cdn-cache-control',
  'vercel-cdn-cache-control',
  'surrogate-control',
] as const;

/**
 * Writes what a commit requires onto a response's headers. The one home of the rule every
 * adapter follows:
 *
 * - `Vary: Cookie` when the session was used, merged into the app's `Vary` (S22);
 * - the session's `Set-Cookie` appended after the app's own (S31);
 * - `Cache-Control: private, no-store` when the response sets the session cookie, or depends
 *   on a stored session (`commit.private`, see the manager's `privateSessionResponses`),
 *   unless the app's `Cache-Control` already keeps shared caches out (`private` or
 *   `no-store`). An app policy that lets a shared cache store the response (`public`,
 *   `max-age`, `s-maxage`, `no-cache`, ...) is replaced: a cookie-setting or personal page
 *   must never be served to someone else (Flask CVE-2023-30861). CDN-targeted fields the app
 *   set (`CDN-Cache-Control`, `Surrogate-Control`, ...) become `no-store` for the same reason.
 *
 * @example Hono's response headers, mutable in place
 * ```ts
 * writeSessionHeaders(c.res.headers, await sessions.commit(session));
 * ```
 */
export function writeSessionHeaders(headers: HeaderSink, commit: SessionCommit): void {
  if (commit.vary) addVary(headers, commit.varyOn ?? 'Cookie');
  if (commit.setCookie !== undefined) headers.append('set-cookie', commit.setCookie);
  const { sessionHeader } = commit;
  if (sessionHeader !== undefined) headers.set(sessionHeader.name, sessionHeader.value);
  if (commit.setCookie !== undefined || sessionHeader !== undefined || commit.private) {
    keepSharedCachesOut(headers);
  }
  // S23: a logout that asked for it also clears what the browser keeps for the origin.
  if (commit.clearSiteData === true) headers.set('clear-site-data', '"cookies", "storage"');
}

/** Whether {@link writeSessionHeaders} would write anything for this commit. */
export function commitNeedsHeaders(commit: SessionCommit): boolean {
  return (
    commit.vary ||
    commit.setCookie !== undefined ||
    commit.sessionHeader !== undefined ||
    commit.private ||
    commit.clearSiteData === true
  );
}

/**
 * Adds what a commit requires to a response ({@link writeSessionHeaders}).
 *
 * Responses with immutable headers (`Response.redirect()`, a `fetch()` result) are copied
 * into a new `Response` that shares the body stream; others are changed in place.
 */
export function applySessionHeaders(response: Response, commit: SessionCommit): Response {
  if (!commitNeedsHeaders(commit)) return response;
  try {
    // Immutable headers throw on the first change, before anything is written.
    writeSessionHeaders(response.headers, commit);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  writeSessionHeaders(copy.headers, commit);
  return copy;
}

/**
 * Whether a response status means the handler failed, so the session is not committed: no
 * store write, no `Set-Cookie`. The rule of every adapter: a handler that throws, or answers
 * a 5xx, commits nothing (as Django's session middleware does), so half-done changes of a
 * failed request are never saved. Changes the store made at once (`destroy()`) stand.
 */
export function isFailedResponse(status: number): boolean {
  return status >= 500;
}

function addVary(headers: HeaderSink, field: string): void {
  const vary = headers.get('vary');
  if (vary === null) headers.set('vary', field);
  else if (!varyIncludes(vary, field)) headers.append('vary', field);
}

function varyIncludes(vary: string, field: string): boolean {
  if (field === 'Cookie') return varyIncludesCookie(vary);
  for (const token of vary.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === field || name === '*') return true;
  }
  return false;
}

function keepSharedCachesOut(headers: HeaderSink): void {
  if (!keepsSharedCachesOut(headers.get('cache-control'))) {
    headers.set('cache-control', PRIVATE_NO_STORE);
  }
  for (const field of TARGETED_CACHE_FIELDS) {
    const value = headers.get(field);
    if (value !== null && !keepsSharedCachesOut(value)) headers.set(field, 'no-store');
  }
}

/**
 * Whether a `Cache-Control` value forbids shared caches to store the response: it has
 * `no-store`, or an unqualified `private` (`private="set-cookie"` lets a shared cache store
 * the rest of the response, RFC 9111 section 5.2.2.7).
 */
function keepsSharedCachesOut(cacheControl: string | null): boolean {
  if (cacheControl === null) return false;
  for (const directive of splitDirectives(cacheControl)) {
    const eq = directive.indexOf('=');
    const name = (eq === -1 ? directive : directive.slice(0, eq)).trim().toLowerCase();
    if (name === 'no-store' || (name === 'private' && eq === -1)) return true;
  }
  return false;
}

/** Cache-Control directives: split on commas outside quoted strings. */
function splitDirectives(value: string): string[] {
  if (!value.includes('"')) return value.split(',');
  const directives: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && quoted) i++;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      directives.push(value.slice(start, i));
      start = i + 1;
    }
  }
  directives.push(value.slice(start));
  return directives;
}

/**
 * Whether a `Vary` header value already covers the cookie (`Cookie` or `*`). For adapters
 * that set `Vary` through their framework.
 */
export function varyIncludesCookie(vary: string | null): boolean {
  if (vary === null) return false;
  for (const token of vary.split(',')) {
    const name = token.trim().toLowerCase();
    if (name === 'cookie' || name === '*') return true;
  }
  return false;
}

/**
 * The default answer when the session store fails (S29): `503 Service Unavailable`,
 * `Retry-After: 1`, never cached. Adapters use it so every framework answers alike.
 */
export function storeUnavailableResponse(): Response {
  return new Response('Service Unavailable', {
    status: 503,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'retry-after': '1',
      'cache-control': 'no-store',
    },
  });
}
