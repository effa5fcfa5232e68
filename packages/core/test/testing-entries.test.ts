// The testing entries: `testing/fakes` loads without vitest and without Node (workerd, a Next
// fixture app), `testing/node` holds what needs Node.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@fetch-session/core/testing/node';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** Every module specifier `file` imports, following relative imports through the package. */
function importsOf(file: string, seen = new Set<string>()): Set<string> {
  const specifiers = new Set<string>();
  if (seen.has(file)) return specifiers;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const [, specifier] of text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)) {
    if (specifier === undefined) continue;
    if (!specifier.startsWith('.')) {
      specifiers.add(specifier);
      continue;
    }
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    for (const inner of importsOf(target, seen)) specifiers.add(inner);
  }
  return specifiers;
}

describe('testing entries', () => {
  it('testing/fakes imports neither vitest nor node: modules', () => {
    const imports = [...importsOf(resolve(src, 'testing/fakes.ts'))];
    expect(imports.filter((name) => name === 'vitest' || name.startsWith('node:'))).toEqual([]);
    // Control: the scanner does see vitest in the full testing entry.
    expect(importsOf(resolve(src, 'testing/index.ts')).has('vitest')).toBe(true);
  });

  it('the runtime entries import no node: module', () => {
    for (const entry of ['index.ts', 'errors.ts', 'store-kit/index.ts']) {
      const imports = [...importsOf(resolve(src, entry))];
      expect(imports.filter((name) => name.startsWith('node:'))).toEqual([]);
    }
  });

  it('freePort() returns a loopback port a server can listen on at once', async () => {
    const port = await freePort();
    expect(Number.isInteger(port) && port > 0 && port < 65_536).toBe(true);
    const server = createServer();
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => done());
    });
    const address = server.address();
    await new Promise<void>((done) => server.close(() => done()));
    expect(typeof address === 'object' && address?.port).toBe(port);
  });
});
