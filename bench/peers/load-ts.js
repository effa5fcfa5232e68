/**
 * Loads one of the repository's TypeScript test helpers into this plain-JavaScript benchmark:
 * bundled to CommonJS with esbuild (its dependencies included) and required, once per path.
 * So the benchmark runs the same redis launcher and Upstash REST server as the tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const loaded = new Map();
const require = createRequire(import.meta.url);

/** @param {URL} source a .ts file */
export function loadTypeScript(source) {
  const key = source.href;
  if (!loaded.has(key)) loaded.set(key, bundle(source));
  return loaded.get(key);
}

async function bundle(source) {
  const result = await build({
    entryPoints: [source.pathname],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-bench-ts-'));
  const file = join(dir, 'module.cjs');
  writeFileSync(file, result.outputFiles[0].text);
  try {
    return require(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
