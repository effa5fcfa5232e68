/** The demo's session cookie name (src/session-cookie.ts). */
export const SESSION_COOKIE = '__Host-sid';

/** The response's `Set-Cookie` for the session cookie, if any. */
export function sessionSetCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

/** A browser-like HTTP client for the demo: keeps cookies, sends Origin on posts, no redirects. */
export function createClient(origin: string) {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    jar,
    async request(method: string, path: string, form?: Record<string, string>): Promise<Response> {
      const headers: Record<string, string> = {};
      if (jar.size > 0) headers.cookie = cookieHeader();
      if (method !== 'GET') headers.origin = origin;
      let body: string | undefined;
      if (form !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(form).toString();
      }
      const response = await fetch(origin + path, {
        method,
        headers,
        body: body ?? null,
        redirect: 'manual',
      });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = setCookie.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq).trim();
        const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
        if (expired) jar.delete(name);
        else jar.set(name, pair.slice(eq + 1));
      }
      return response;
    },
    async text(method: string, path: string, form?: Record<string, string>): Promise<string> {
      return (await this.request(method, path, form)).text();
    },
  };
}
