import { defineConfig } from 'vitest/config';

// No source aliases here: the test runs the built server exactly as `npm start` does.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 20_000 } });
