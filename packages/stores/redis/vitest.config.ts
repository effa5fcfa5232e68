import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One redis-server and one Cluster for the run, on free loopback ports, stopped at the end.
    globalSetup: ['test/global-setup.ts'],
    // The files mostly wait on Redis and its TTLs, not compute: run them side by side.
    maxWorkers: 4,
    // Generous for a loaded 2-core machine; nothing here asserts time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
