/**
 * A browser-like HTTP client on node:http, one per simulated visitor: its own cookie jar
 * (as apps/demo/test/demo-client.ts keeps it), `Origin` on non-GET requests, no redirects
 * followed, and its own keep-alive connection (an Agent with one socket), opened once.
 *
 * Why not `fetch`: its shared pool opens extra connections whenever a socket is not yet back
 * in the pool, and a saturated Node server accepts new connections late (seconds: they wait in
 * the listen queue while the event loop serves the established ones). The load numbers would
 * then measure that, not the sessions. One connection per visitor, opened while the server is
 * idle, is what a browser tab does anyway.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every `Set-Cookie` header of the response. */
  readonly setCookies: readonly string[];
  readonly body: string;
}

export interface RequestOptions {
  /** Sent as `application/x-www-form-urlencoded`. */
  readonly form?: Record<string, string>;
  /** A raw body (text/plain). */
  readonly body?: string;
  /** A `Cookie` header instead of the jar's (the jar is then not updated). */
  readonly cookie?: string;
}

export class BrowserClient {
  readonly jar = new Map<string, string>();
  readonly #origin: URL;
  readonly #agent: Agent;

  constructor(
    readonly origin: string,
    agent?: Agent,
  ) {
    this.#origin = new URL(origin);
    this.#agent = agent ?? new Agent({ keepAlive: true, maxSockets: 1 });
  }

  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    const cookie = options.cookie ?? this.cookieHeader();
    if (cookie !== '') headers.cookie = cookie;
    if (method !== 'GET') headers.origin = this.origin;
    let body: string | undefined;
    if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['content-type'] = 'text/plain;charset=utf-8';
      body = options.body;
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#origin.hostname,
          port: this.#origin.port,
          method,
          path,
          headers,
          agent: this.#agent,
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            if (options.cookie === undefined) this.#keep(setCookies);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              setCookies,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closes the visitor's connection. */
  close(): void {
    this.#agent.destroy();
  }

  #keep(setCookies: readonly string[]): void {
    for (const setCookie of setCookies) {
      const [pair = '', ...attributes] = setCookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1));
    }
  }
}
