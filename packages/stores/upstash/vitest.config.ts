import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One redis-server for the run, on a free loopback port, stopped at the end.
    globalSetup: ['test/global-setup.ts'],
    // The files mostly wait (on Redis TTLs, pauses, the network), not compute: run them side
    // by side even on a 2-core machine, where the default would be one at a time.
    maxWorkers: 4,
    // Generous: under a loaded CI machine a 200-request race can take seconds; nothing here
    // asserts time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
