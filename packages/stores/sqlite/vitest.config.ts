import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The Bun and D1 files mostly wait on their child processes: run them side by side.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
