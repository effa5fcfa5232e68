import { defineConfig } from 'vitest/config';

// No source aliases: the tests run the built server exactly as `npm start` does.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
