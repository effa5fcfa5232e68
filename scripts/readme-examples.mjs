#!/usr/bin/env node
// Keeps the code the READMEs show identical to the runnable files in examples/: between
// `<!-- example: examples/x/file.ts -->` and `<!-- /example -->` a README holds a link to the
// file and the file itself in a fenced block. `node scripts/readme-examples.mjs` rewrites
// those sections; `--check` (run by `npm test`) only reports READMEs that differ and exits 1.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoDir = fileURLToPath(new URL('..', import.meta.url));
const blobUrl = 'https://github.com/fetch-session/fetch-session/blob/main/';
const languages = { '.ts': 'ts', '.tsx': 'tsx', '.toml': 'toml', '.json': 'json', '.vars': 'ini' };
const section = /<!-- example: (\S+) -->\n[\s\S]*?<!-- \/example -->/g;

/** What goes between the markers for one example file. */
function render(path) {
  const file = join(repoDir, path);
  if (!existsSync(file)) throw new Error(`no example file ${path}`);
  const code = readFileSync(file, 'utf8').trimEnd();
  const language = languages[extname(path)] ?? '';
  const fence = code.includes('```') ? '````' : '```';
  return [
    `<!-- example: ${path} -->`,
    `[\`${path}\`](${blobUrl}${path}):`,
    '',
    `${fence}${language}`,
    code,
    fence,
    '<!-- /example -->',
  ].join('\n');
}

const check = process.argv.includes('--check');
const readmes = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*README.md'],
  {
    cwd: repoDir,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter(Boolean);

const stale = [];
let sections = 0;
for (const readme of readmes) {
  const path = join(repoDir, readme);
  const text = readFileSync(path, 'utf8');
  const updated = text.replace(section, (_, example) => {
    sections++;
    return render(example);
  });
  if (updated === text) continue;
  stale.push(readme);
  if (!check) writeFileSync(path, updated);
}

if (check && stale.length > 0) {
  console.error(
    `README examples differ from their files in examples/: ${stale.join(', ')}\n` +
      'Run `node scripts/readme-examples.mjs` to copy the files into the READMEs.',
  );
  process.exit(1);
}
console.log(
  `${sections} README example sections ${check ? 'match their files' : 'written'}${stale.length && !check ? ` (${stale.join(', ')} updated)` : ''}`,
);
