// Runs the Workers example as `wrangler dev` would, without wrangler: its wrangler.toml (main,
// compatibility date, KV bindings) and .dev.vars, the entry bundled by esbuild with the
// Workers conditions, served by a real workerd through Miniflare on a loopback port.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { parse } from 'smol-toml';

/** Newest compatibility date the installed workerd accepts (see ENVIRONMENT.md). */
const NEWEST_COMPATIBILITY_DATE = '2026-05-03';

/**
 * Starts the Worker of `dir` (a folder with wrangler.toml and .dev.vars).
 * @returns {Promise<{ origin: string, stop: () => Promise<void> }>}
 */
export async function startWorker(dir, port) {
  const config = parse(await readFile(join(dir, 'wrangler.toml'), 'utf8'));
  if (config.compatibility_date > NEWEST_COMPATIBILITY_DATE)
    throw new Error(`compatibility_date ${config.compatibility_date} is newer than workerd here`);
  const bindings = parseEnv(await readFile(join(dir, '.dev.vars'), 'utf8'));
  const bundle = await build({
    entryPoints: [join(dir, config.main)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
  });
  const miniflare = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0].text,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    kvNamespaces: (config.kv_namespaces ?? []).map((namespace) => namespace.binding),
    bindings,
    host: '127.0.0.1',
    port,
  });
  const url = await miniflare.ready;
  return { origin: url.origin, stop: () => miniflare.dispose() };
}
