import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Writes to one key are spaced a second apart, as KV requires: flows take a few seconds, and
    // many more on a two-core machine shared by other jobs (load 25 seen in CI). Nothing here
    // asserts time: the timeout only stops a hang.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // The files mostly wait (a second between writes to a key), each on its own workerd: run
    // them side by side even on two cores, where the default would run them one at a time.
    maxWorkers: 6,
  },
});
