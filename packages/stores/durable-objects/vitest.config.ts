import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Each file starts its own workerd; nothing here asserts time, the timeouts only bound a
    // busy two-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 4,
  },
});
