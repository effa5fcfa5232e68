import type { SessionInput } from './session-input.js';

/**
 * The origin of a request that a browser would not send a `Secure` cookie over: a plain
 * `http:` URL to a host that is not a secure context. Browsers treat `localhost`
 * (`*.localhost`), `127.0.0.0/8` and `[::1]` as secure even over http, so those pass. A request
 * that a TLS-terminating proxy marks as https (`X-Forwarded-Proto`, `Forwarded: proto=`) passes
 * too. `undefined` when the request is fine or its URL is unknown (only a cookie header given).
 */
export function insecureOrigin(
  input: SessionInput,
  url: string | URL | undefined,
): string | undefined {
  const target = url ?? (input instanceof Request ? input.url : undefined);
  // Most requests are https: settle them without parsing a URL.
  if (target === undefined || !String(target).startsWith('http:')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || isSecureContextHost(parsed.hostname)) return undefined;
  if (input instanceof Request && forwardedAsHttps(input.headers)) return undefined;
  return parsed.origin;
}

function isSecureContextHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

function forwardedAsHttps(headers: Headers): boolean {
  const proto = headers.get('x-forwarded-proto');
  if (proto?.split(',')[0]?.trim().toLowerCase() === 'https') return true;
  return /(?:^|[;,\s])proto="?https"?/i.test(headers.get('forwarded') ?? '');
}
