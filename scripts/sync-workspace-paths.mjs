// Keeps tsconfig.test.json's `paths` in step with vitest.aliases.ts (one list of workspace
// entry points for tests), and the root tsconfig.json's references with the workspace folders.
// `node scripts/sync-workspace-paths.mjs` rewrites them; `--check` fails when they differ.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const root = new URL('../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');

const aliases = [
  ...read('vitest.aliases.ts').matchAll(/'(@fetch-session\/[^']+)': here\('([^']+)'\)/g),
];
const testConfig = JSON.parse(read('tsconfig.test.json'));
testConfig.compilerOptions.paths = Object.fromEntries(
  aliases.map(([, name, path]) => [name, [path]]).sort(([a], [b]) => a.localeCompare(b)),
);

const folders = ['packages/core'];
for (const group of ['packages/stores', 'packages/adapters'])
  for (const name of readdirSync(new URL(group, root)).sort())
    if (existsSync(new URL(`${group}/${name}/tsconfig.json`, root)))
      folders.push(`${group}/${name}`);
folders.push('apps/demo');
const rootConfig = { files: [], references: folders.map((path) => ({ path })) };

let stale = false;
for (const [file, value] of [
  ['tsconfig.test.json', testConfig],
  ['tsconfig.json', rootConfig],
]) {
  if (JSON.stringify(value) === JSON.stringify(JSON.parse(read(file)))) continue;
  stale = true;
  if (check) console.error(`${file} is out of date: run node scripts/sync-workspace-paths.mjs`);
  else {
    writeFileSync(new URL(file, root), `${JSON.stringify(value, null, 2)}\n`);
    execFileSync('npx', ['biome', 'format', '--write', file], { cwd: root, stdio: 'ignore' });
  }
}
if (check && stale) process.exit(1);
