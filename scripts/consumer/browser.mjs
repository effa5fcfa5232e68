// A cookie jar in front of fetch: what a browser keeps between requests, and nothing more.

/** A client of one origin that stores the cookies it is sent and sends them back. */
export function createBrowser(origin) {
  const jar = new Map();
  return {
    origin,
    jar,
    /** The value of one cookie, or undefined. */
    cookie: (name) => jar.get(name),
    /** Sends a request with the jar's cookies; never follows redirects. */
    async fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (jar.size > 0)
        headers.set('cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      const response = await fetch(new URL(path, origin), { ...init, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const index = pair.indexOf('=');
        const name = pair.slice(0, index).trim();
        const value = pair.slice(index + 1).trim();
        const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    },
    /** GET (or another method) and the body as text. */
    async text(path, init) {
      const response = await this.fetch(path, init);
      return response.text();
    },
  };
}
