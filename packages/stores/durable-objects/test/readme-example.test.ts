import { readFile } from 'node:fs/promises';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle, COMPATIBILITY_DATE } from './helpers/test-worker.js';

// The README's Worker and its Wrangler configuration, as Miniflare options: the binding
// `SESSIONS` of class `SessionObject`, SQLite-backed (`new_sqlite_classes`).
let mf: Miniflare;
beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: await bundle('readme-example.ts'),
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: { SESSIONS: { className: 'SessionObject', useSQLite: true } },
    bindings: { SESSION_SECRET: 'readme-example-secret-0123456789abcdefghij' },
  });
  await mf.ready;
});
afterAll(async () => {
  await mf?.dispose();
});

describe("the README's example", () => {
  it('is the code the README shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./worker/readme-example.ts', import.meta.url), 'utf8');
    const code = example.split('\n').slice(2).join('\n'); // without the two comment lines
    expect(readme).toContain(`// src/index.ts\n${code}`);
  });

  it('counts visits in a session kept by a Durable Object', async () => {
    let cookie = '';
    for (let count = 1; count <= 3; count++) {
      const response = await mf.dispatchFetch('http://example.test/', {
        headers: cookie === '' ? {} : { cookie },
      });
      expect(await response.json()).toEqual({ count });
      cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      expect(cookie).not.toBe('');
    }
  });
});
