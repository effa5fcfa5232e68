import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../vitest.aliases.js';
import { LOAD_SECONDS } from './support/knobs.js';

// The load suite: real servers on loopback, bounded in time (LOAD_SECONDS scales it). In-process
// apps use the workspace sources; the demo runs from its build (npm run test:load builds it).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Vite's cache would otherwise create load/node_modules.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite/load', import.meta.url)),
  resolve: { alias: workspaceAliases },
  test: {
    include: ['*.test.ts'],
    globalSetup: ['global-setup.ts'],
    // One file at a time: each one saturates the two cores by itself, and timings stay honest.
    fileParallelism: false,
    testTimeout: 60_000 + LOAD_SECONDS * 3_000,
    hookTimeout: 60_000,
  },
});
