// What a registry page and a debugger need from each tarball: the license, the README, the
// metadata, and source maps whose sources are in the tarball too.
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';

/** Problems with one installed package (`dir` = node_modules/<name>) packed with `files`. */
export async function tarballProblems(dir, files) {
  const problems = [];
  for (const required of ['LICENSE', 'README.md', 'package.json'])
    if (!files.includes(required)) problems.push(`no ${required}`);
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  for (const field of ['repository', 'homepage', 'bugs', 'license', 'engines'])
    if (manifest[field] === undefined) problems.push(`package.json has no ${field}`);
  if (manifest.engines?.node !== '>=20.19')
    problems.push(`engines.node is ${manifest.engines?.node}`);
  if (manifest.type !== 'module') problems.push('not "type": "module"');
  const readme = await readFile(join(dir, 'README.md'), 'utf8');
  const relative = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)]+)\)/g)].map((m) => m[1]);
  if (relative.length > 0)
    problems.push(`README links that are dead on a registry: ${relative.join(', ')}`);
  if (!/Node\.js 20\.19/.test(readme) || !/TypeScript 5\.7/.test(readme) || !/ESM/.test(readme))
    problems.push('README does not state Node 20.19+, TypeScript 5.7+ and ESM only');
  for (const map of files.filter((file) => file.endsWith('.map'))) {
    const { sources } = JSON.parse(await readFile(join(dir, map), 'utf8'));
    for (const source of sources) {
      const target = posix.normalize(posix.join(posix.dirname(map), source));
      if (!files.includes(target)) problems.push(`${map} points at ${target}, not in the tarball`);
    }
  }
  return problems;
}
