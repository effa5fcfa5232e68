import type { TestWorker } from './test-worker.js';

/** One browser request to the test Worker's session app: sends `cookie`, keeps the new one. */
export interface Visit<T> {
  readonly body: T;
  /** The cookie to send next (`name=value`), or `''` when the response cleared it. */
  readonly cookie: string;
  readonly setCookie: string | null;
}

/** Requests `path` with `cookie` and follows `Set-Cookie` the way a browser would. */
export async function visit<T>(worker: TestWorker, path: string, cookie = ''): Promise<Visit<T>> {
  const response = await worker.fetch(path, { headers: cookie === '' ? {} : { cookie } });
  if (!response.ok)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie');
  const body = (await response.json()) as T;
  if (setCookie === null) return { body, cookie, setCookie };
  const pair = setCookie.split(';')[0] as string;
  const cleared = /;\s*Max-Age=0(;|$)/i.test(setCookie);
  return { body, cookie: cleared ? '' : pair, setCookie };
}

/** A KV key as `list()` reports it. */
export interface ListedKey {
  readonly name: string;
  readonly expiration?: number;
  readonly metadata?: unknown;
}

/** The keys under `prefix`, straight from the Worker's KV binding. */
export function listKeys(worker: TestWorker, prefix: string): Promise<ListedKey[]> {
  return worker.json<ListedKey[]>(`/kv/list?prefix=${encodeURIComponent(prefix)}`);
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
