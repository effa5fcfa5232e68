import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // One PostgreSQL server for the run, on a free loopback port, stopped at the end.
    globalSetup: ['test/global-setup.ts'],
    // The files mostly wait on the server: run them side by side even on two cores.
    maxWorkers: 3,
    // Generous: a loaded CI machine can take seconds for a 200-commit race; nothing asserts time.
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
