import { fileURLToPath } from 'node:url';
import type { SessionStore } from '@fetch-session/core';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { workspaceAliases } from '../../../../../vitest.aliases.js';

/** The installed workerd accepts compatibility dates up to its own release (2026-05-03). */
export const COMPATIBILITY_DATE = '2026-04-01';

/** One of the two Worker services over the shared Durable Object namespace. */
export interface TestWorkerService {
  fetch(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, body?: unknown): Promise<T>;
  /**
   * A `SessionStore` whose every method is a request to this Worker, where the real store
   * calls the real objects. `now` is sent with each call: the store decides expiry on it.
   */
  store(base?: string, now?: () => number): SessionStore;
}

/** Workers `a` and `b` (separate isolates) sharing one namespace of objects. */
export interface TestWorkers {
  readonly a: TestWorkerService;
  readonly b: TestWorkerService;
  dispose(): Promise<void>;
}

/** What a store error looks like after crossing the fetch boundary. */
export interface WireError extends Error {
  readonly original?: string;
  readonly retryable?: boolean;
  readonly overloaded?: boolean;
}

/** Bundles a Worker of test/worker/ with esbuild, as Wrangler would (`cloudflare:` is built in). */
export async function bundle(entry = 'index.ts'): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../worker/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['cloudflare:*'],
    alias: workspaceAliases,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

const CLASSES = {
  SESSIONS: 'SessionObject',
  FAULTY: 'FaultySessionObject',
  QUICK: 'QuickSessionObject',
  INSPECT: 'InspectableSessionObject',
} as const;

/**
 * Starts workers `a` and `b` in one workerd through Miniflare. `a` defines the SQLite-backed
 * objects; `b` binds the same classes of `a` (`scriptName`), as a second Worker bound to the
 * same namespace would. Always `dispose()` (in `afterAll`).
 */
export async function startTestWorkers(): Promise<TestWorkers> {
  const script = await bundle();
  const bindings = (scriptName?: string) =>
    Object.fromEntries(
      Object.entries(CLASSES).map(([binding, className]) => [
        binding,
        { className, useSQLite: true, ...(scriptName && { scriptName }) },
      ]),
    );
  const mf = new Miniflare({
    workers: [
      {
        name: 'a',
        modules: true,
        script,
        compatibilityDate: COMPATIBILITY_DATE,
        durableObjects: bindings(),
      },
      {
        name: 'b',
        modules: true,
        script,
        compatibilityDate: COMPATIBILITY_DATE,
        durableObjects: bindings('a'),
      },
    ],
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose(); // never leave a workerd process behind
    throw error;
  }
  const service = async (name: string): Promise<TestWorkerService> => {
    const worker = await mf.getWorker(name);
    const fetch = async (path: string, init?: RequestInit): Promise<Response> =>
      (await worker.fetch(`http://worker.test${path}`, init as never)) as unknown as Response;
    const json = async <T>(path: string, body?: unknown): Promise<T> => {
      const response = await fetch(
        path,
        body === undefined ? undefined : { method: 'POST', body: JSON.stringify(body) },
      );
      const text = await response.text();
      if (response.status >= 500 && !text.startsWith('{')) {
        throw new Error(`worker ${name} answered ${response.status}: ${text}`);
      }
      return JSON.parse(text) as T;
    };
    return { fetch, json, store: (base = '', now = Date.now) => storeProxy(json, base, now) };
  };
  try {
    return { a: await service('a'), b: await service('b'), dispose: () => mf.dispose() };
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}

type Json = <T>(path: string, body?: unknown) => Promise<T>;

function storeProxy(json: Json, base: string, now: () => number): SessionStore {
  const call = async <T>(method: string, body: object): Promise<T> => {
    const answer = await json<{ result?: T; error?: Record<string, unknown> }>(
      `${base}/store/${method}`,
      { ...body, now: now() },
    );
    if (answer.error !== undefined) {
      throw Object.assign(new Error(String(answer.error.message)), answer.error);
    }
    return answer.result as T;
  };
  return {
    name: 'durable-objects',
    load: async (key) => (await call('load', { key })) ?? undefined,
    write: (key, patch, options) => call('write', { key, patch, options }),
    touch: (key, meta, options) => call('touch', { key, meta, options }),
    delete: (key) => call('delete', { key }),
    listUserSessions: (userId) => call('listUserSessions', { userId }),
  };
}
