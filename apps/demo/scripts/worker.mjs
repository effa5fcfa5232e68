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
 * persisted under `kvPersist`) and text bindings such as `SESSION_SECRET` and `ENVIRONMENT`.
 * @param {string} script
 * @param {Record<string, string>} bindings
 * @returns {import('miniflare').MiniflareOptions}
 */
export function workerOptions(script, bindings) {
  return {
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: ['SESSIONS'],
    bindings,
  };
}
