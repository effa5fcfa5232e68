import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

// The logic is tested through the stores that use it (packages/stores/postgres and sqlite),
// against real databases; this package has only pure unit tests, if any.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: { include: ['test/**/*.test.ts', 'src/**/*.test.ts'] },
});
