import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSessionStore } from '@fetch-session/core/testing';
import { fileStore } from '@fetch-session/filesystem';
import { afterAll, expect, it } from 'vitest';

// `npm test` runs this file on Node, then on Bun and on Deno (see package.json), each with
// EXPECT_RUNTIME set, so a runner silently falling back to Node fails.
const runtime = 'Bun' in globalThis ? 'Bun' : 'Deno' in globalThis ? 'Deno' : 'Node';
const expected = process.env.EXPECT_RUNTIME;
if (expected !== undefined) {
  it(`runs on ${expected}`, () => expect(runtime).toBe(expected));
}

const root = mkdtempSync(join(tmpdir(), 'fetch-session-fs-'));
let count = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

describeSessionStore({
  name: `filesystem on ${runtime}`,
  concurrency: 100,
  createStore: ({ now }) => {
    const directory = mkdtempSync(join(root, `store-${++count}-`));
    return fileStore({ directory, now });
  },
});
