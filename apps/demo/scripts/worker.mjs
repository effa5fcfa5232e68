// How the demo's Worker is bundled and run in workerd, shared by `npm run dev:worker`
// (scripts/dev-worker.mjs) and the workerd test (test/runtimes/workerd.ts).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** workerd in the installed Miniflare accepts compatibility dates up to its own release. */
export const COMPATIBILITY_DATE = '2026-04-01';

/**
 * esbuild options that bundle src/worker.ts as Wrangler would: ESM, no Node built-ins, browser
 * and worker conditions. Workspace packages resolve through node_modules to their dist/ builds.
 * @type {import('esbuild').BuildOptions & { write: false }}
 */
export const workerBuildOptions = {
  entryPoints: [fileURLToPath(new URL('../src/worker.ts', import.meta.url))],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // platform 'neutral' reads no main fields by default; some packages only have `main`.
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser'],
  // workerd provides these (the Durable Objects store's base class).
  external: ['cloudflare:*'],
  logLevel: 'silent',
};

/** The bundled Worker as one ES module's text. */
export async function bundleWorker() {
  const result = await build(workerBuildOptions);
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

/**
 * Miniflare options for the bundled Worker: a KV namespace bound as `SESSIONS` (in memory, or
 * persisted under `kvPersist`), text bindings such as `SESSION_SECRET` and `ENVIRONMENT`, and
 * with `store: 'durable-objects'` the `SESSION_OBJECTS` namespace of the exported
 * `SessionObject` class (SQLite-backed), which the Worker then uses instead of KV.
 * @param {string} script
 * @param {Record<string, string>} bindings
 * @param {{ store?: 'kv' | 'durable-objects' }} [choice]
 * @returns {import('miniflare').MiniflareOptions}
 */
export function workerOptions(script, bindings, { store = 'kv' } = {}) {
  return {
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ['SESSIONS'],
    ...(store === 'durable-objects' && {
      durableObjects: { SESSION_OBJECTS: { className: 'SessionObject', useSQLite: true } },
    }),
    bindings,
  };
}
