import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../../../../vitest.aliases.js';

// Vitest under Bun, for the bun:sqlite files only (`bun --bun vitest run --config` this file).
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['*.bun.ts'],
    pool: 'threads',
    server: { deps: { external: [/^bun:/] } },
  },
});
