import type { TestWorkerService } from './test-worker.js';

/** A browser's cookie jar of one cookie: sends it, keeps what `Set-Cookie` says. */
export class Browser {
  cookie = '';

  /** GET `path` on `worker` with the cookie; answers the JSON body and the HTTP status. */
  async visit<T>(worker: TestWorkerService, path: string): Promise<{ status: number; body: T }> {
    const response = await worker.fetch(path, {
      headers: this.cookie === '' ? {} : { cookie: this.cookie },
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie !== null) {
      this.cookie = /;\s*Max-Age=0(;|$)/i.test(setCookie) ? '' : (setCookie.split(';')[0] ?? '');
    }
    const text = await response.text();
    return {
      status: response.status,
      body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T,
    };
  }
}
