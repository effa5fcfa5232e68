import type { SessionCommit } from './session-state.js';

/**
 * Adds what a commit requires to a response: `Set-Cookie` appended after the app's own (S31),
 * `Vary: Cookie` when the session was used and `Cache-Control: no-store` when the cookie is
 * set, unless the app chose a `Cache-Control` itself (S22).
 *
 * Responses with immutable headers (`Response.redirect()`, a `fetch()` result) are copied
 * into a new `Response` that shares the body stream; others are changed in place.
 */
export function applySessionHeaders(response: Response, commit: SessionCommit): Response {
  if (!commit.vary && commit.setCookie === undefined) return response;
  try {
    writeHeaders(response.headers, commit);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  writeHeaders(copy.headers, commit);
  return copy;
}

function writeHeaders(headers: Headers, commit: SessionCommit): void {
  if (commit.vary) addVaryCookie(headers);
  if (commit.setCookie !== undefined) {
    headers.append('set-cookie', commit.setCookie);
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  }
}

function addVaryCookie(headers: Headers): void {
  const vary = headers.get('vary');
  if (vary === null) headers.set('vary', 'Cookie');
  else if (!varyIncludesCookie(vary)) headers.append('vary', 'Cookie');
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
