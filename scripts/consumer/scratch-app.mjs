// The consumer's side: the public packages packed as npm would publish them, and the examples
// folder installed from those tarballs in a temporary folder outside the workspace.
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, run } from './processes.mjs';

export const repoDir = fileURLToPath(new URL('../../', import.meta.url));

/** TypeScript releases installed next to the examples' own, to check the stated floor. */
export const MINIMUM_TYPESCRIPT = '5.7';

/** Workspace folders of the packages that are published (not `private`). */
export async function publicPackages() {
  const folders = ['packages/core'];
  for (const group of ['packages/adapters', 'packages/stores'])
    for (const name of await readdir(join(repoDir, group))) folders.push(`${group}/${name}`);
  const packages = [];
  for (const folder of folders) {
    const manifest = JSON.parse(await readFile(join(repoDir, folder, 'package.json'), 'utf8'));
    if (!manifest.private) packages.push({ folder, name: manifest.name, manifest });
  }
  return packages;
}

/**
 * Builds the packages (turbo: cached when nothing changed), packs each into `dir/tarballs`
 * and returns `{ name, tarball, files }` per package.
 */
export async function packAll(dir) {
  const packages = await publicPackages();
  await run(
    'npx',
    [
      'turbo',
      'run',
      'build',
      '--output-logs=errors-only',
      ...packages.map((p) => `--filter=${p.name}`),
    ],
    {
      cwd: repoDir,
      env: childEnv({ TURBO_TELEMETRY_DISABLED: '1' }),
    },
  );
  const destination = join(dir, 'tarballs');
  await mkdir(destination, { recursive: true });
  const json = await run(
    'npm',
    [
      'pack',
      '--json',
      '--pack-destination',
      destination,
      ...packages.flatMap((p) => ['-w', p.name]),
    ],
    { cwd: repoDir },
  );
  const packed = JSON.parse(json.slice(json.indexOf('[')));
  return packed.map((entry) => ({
    name: entry.name,
    tarball: join(destination, entry.filename),
    files: entry.files.map((file) => file.path),
  }));
}

/**
 * Copies examples/ into `dir/app`, points its `@fetch-session/*` dependencies at the tarballs,
 * adds the oldest TypeScript the READMEs promise, and installs (third-party packages from the
 * registry, or npm's cache).
 */
export async function installExamples(dir, tarballs) {
  const app = join(dir, 'app');
  await cp(join(repoDir, 'examples'), app, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|\.next|\.wrangler)([/\\]|$)/.test(source),
  });
  const manifestPath = join(app, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  for (const name of Object.keys(manifest.dependencies)) {
    if (!name.startsWith('@fetch-session/')) continue;
    const packed = tarballs.find((entry) => entry.name === name);
    if (!packed)
      throw new Error(`examples/package.json needs ${name}, which is not a public package`);
    manifest.dependencies[name] = `file:${packed.tarball}`;
  }
  const missing = tarballs.filter((entry) => !(entry.name in manifest.dependencies));
  if (missing.length > 0)
    throw new Error(`no example uses ${missing.map((entry) => entry.name).join(', ')}`);
  manifest.devDependencies[`typescript-${MINIMUM_TYPESCRIPT}`] =
    `npm:typescript@~${MINIMUM_TYPESCRIPT}.0`;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: app,
  });
  return app;
}

/** A temporary folder for one run. */
export function scratchDir() {
  return mkdtemp(join(tmpdir(), 'fetch-session-consumer-'));
}
