import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../vitest.aliases.js';

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/fixture-app/**'],
    // Builds the fixture app (next build, skipped when up to date) and runs next start.
    globalSetup: ['test/global-setup.ts'],
    // Loopback HTTP to a production server, but other suites share the two cores.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
