import { fileURLToPath } from 'node:url';
import type { SessionStore } from '@fetch-session/core';
import { SessionStoreError, type SessionStoreOperation } from '@fetch-session/core/errors';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { workspaceAliases } from '../../../../../vitest.aliases.js';
import type { WireError } from '../worker/store-rpc.js';

/** workerd in the installed Miniflare accepts compatibility dates up to its own release. */
const COMPATIBILITY_DATE = '2026-04-01';

/** The test Worker running in workerd, and ways to talk to it from the test process. */
export interface TestWorker {
  /** A request to the Worker; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON request (POST when `body` is given) and its parsed JSON answer. */
  json<T>(path: string, body?: unknown): Promise<T>;
  /**
   * A `SessionStore` whose every method is a request to the Worker, where the real store runs
   * against the real KV namespace. `base` selects the store (`''` for the main one).
   */
  store(base?: string): SessionStore;
  /** Stops workerd. */
  dispose(): Promise<void>;
}

/** Which Worker to start; every one gets a fresh in-memory KV namespace bound as `SESSIONS`. */
export interface TestWorkerOptions {
  /** The entry module, relative to test/worker/. @default 'index.ts' */
  readonly entry?: string;
  /** Text bindings (secrets, variables). */
  readonly bindings?: Record<string, string>;
}

/** Bundles a Worker under test/worker/ with esbuild, as Wrangler would, aliasing workspace sources. */
export async function bundleTestWorker(entry = 'index.ts'): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../worker/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    alias: workspaceAliases,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

/** Starts a test Worker in workerd through Miniflare. Always `dispose()` it (in `afterAll`). */
export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  const mf = new Miniflare({
    modules: true,
    script: await bundleTestWorker(options.entry),
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ['SESSIONS'],
    bindings: options.bindings ?? {},
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose(); // never leave a workerd process behind
    throw error;
  }
  const fetch = async (path: string, init?: RequestInit): Promise<Response> =>
    (await mf.dispatchFetch(`http://worker.test${path}`, init as never)) as unknown as Response;
  const json = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(
      path,
      body === undefined ? undefined : { method: 'POST', body: JSON.stringify(body) },
    );
    const text = await response.text();
    if (response.status >= 500 && !text.startsWith('{')) {
      throw new Error(`worker answered ${response.status}: ${text}`);
    }
    return JSON.parse(text) as T;
  };
  return {
    fetch,
    json,
    store: (base = '') => storeProxy(json, base),
    dispose: () => mf.dispose(),
  };
}

type Json = <T>(path: string, body?: unknown) => Promise<T>;

function storeProxy(json: Json, base: string): SessionStore {
  const call = async <T>(method: string, body: unknown): Promise<T> => {
    const answer = await json<{ result?: T; error?: WireError }>(`${base}/store/${method}`, body);
    if (answer.error !== undefined) throw fromWire(answer.error);
    return answer.result as T;
  };
  return {
    name: 'cloudflare-kv',
    load: async (key) => (await call('load', { key })) ?? undefined,
    write: (key, patch, options) => call('write', { key, patch, options }),
    touch: (key, meta, options) => call('touch', { key, meta, options }),
    delete: async (key) => {
      await call('delete', { key });
    },
    listUserSessions: (userId) => call('listUserSessions', { userId }),
  };
}

/** Rebuilds a store error thrown in the Worker, for `instanceof` checks in the test process. */
function fromWire(error: WireError): Error {
  const cause =
    error.cause && Object.assign(new Error(error.cause.message), { name: error.cause.name });
  if (error.name === 'SessionStoreError') {
    return new SessionStoreError(
      'cloudflare-kv',
      error.operation as SessionStoreOperation,
      cause ? { cause } : undefined,
    );
  }
  return Object.assign(new Error(error.message), {
    name: error.name,
    ...(error.original !== undefined && { original: error.original }),
  });
}
