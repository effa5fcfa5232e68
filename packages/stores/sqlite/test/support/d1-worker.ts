import { fileURLToPath } from 'node:url';
import type { SessionStore } from '@fetch-session/core';
import { SessionStoreError, type SessionStoreOperation } from '@fetch-session/core/errors';
import type { SqlSessionStore } from '@fetch-session/sqlite';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { workspaceAliases } from '../../../../../vitest.aliases.js';

/** workerd in the installed Miniflare accepts compatibility dates up to its own release. */
const COMPATIBILITY_DATE = '2026-04-01';

/** The test Worker in workerd, with a fresh in-memory D1 database bound as `DB`. */
export interface D1Worker {
  /** A store whose every method is a request to the Worker, where the real D1 store runs. */
  store(options?: { now?: () => number; table?: string; checkSchema?: boolean }): SqlSessionStore;
  /** Runs one SQL statement in the Worker, past the store. */
  sql(text: string): Promise<unknown[]>;
  dispose(): Promise<void>;
}

interface WireError {
  name: string;
  message: string;
  operation?: string;
  cause?: { name: string; message: string; code?: string };
}

export async function startD1Worker(): Promise<D1Worker> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../worker/index.ts', import.meta.url))],
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
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]?.text ?? '',
    compatibilityDate: COMPATIBILITY_DATE,
    d1Databases: ['DB'],
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose(); // never leave a workerd process behind
    throw error;
  }
  const post = async (path: string, body: unknown) => {
    const response = await mf.dispatchFetch(`http://worker.test${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return (await response.json()) as { result?: unknown; error?: WireError };
  };
  return {
    store({ now = Date.now, table, checkSchema } = {}) {
      const call =
        (method: string) =>
        async (...args: unknown[]) => {
          const answer = await post(`/store/${method}`, { args, now: now(), table, checkSchema });
          if (answer.error !== undefined) throw fromWire(answer.error);
          return answer.result ?? undefined;
        };
      const methods = [
        'load',
        'write',
        'touch',
        'delete',
        'listUserSessions',
        'sweepExpired',
        'migrate',
        'checkSchema',
      ];
      return Object.fromEntries([
        ['name', 'd1'],
        ...methods.map((method) => [method, call(method)]),
      ]) as unknown as SqlSessionStore & SessionStore;
    },
    async sql(text) {
      const answer = await post('/sql', { text });
      if (answer.error !== undefined) throw fromWire(answer.error);
      return answer.result as unknown[];
    },
    dispose: () => mf.dispose(),
  };
}

/** Rebuilds an error thrown in the Worker, for `instanceof` checks in the test process. */
function fromWire(error: WireError): Error {
  const cause =
    error.cause &&
    Object.assign(new Error(error.cause.message), {
      name: error.cause.name,
      code: error.cause.code,
    });
  if (error.name === 'SessionStoreError') {
    return new SessionStoreError(
      'd1',
      error.operation as SessionStoreOperation,
      cause ? { cause } : undefined,
    );
  }
  return Object.assign(new Error(error.message), { name: error.name, cause });
}
