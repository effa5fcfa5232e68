/**
 * Bun's built-in RedisClient runs the store's scripts: a scenario run by the real Bun binary
 * (the `bun` npm package) against the shared redis-server. Bun's client has no Cluster mode,
 * so this is the single-node layout.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, inject, it } from 'vitest';

const run = promisify(execFile);
const bun = fileURLToPath(new URL('../../../../node_modules/.bin/bun', import.meta.url));
const scenario = fileURLToPath(new URL('./support/bun-scenario.ts', import.meta.url));

it("works with Bun's RedisClient: counts, the NOSCRIPT fallback, list and revoke", async () => {
  const { stdout } = await run(bun, [scenario, String(inject('redisPort'))], { timeout: 30_000 });
  expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual({
    counts: [1, 2, 3],
    listed: 1,
    revoked: 1,
    afterRevoke: 1,
  });
});
