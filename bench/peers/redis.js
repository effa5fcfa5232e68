/**
 * A throwaway redis-server for the Upstash store's benchmark: the Upstash package's test
 * launcher (packages/stores/upstash/test/support/redis-server.ts): a free loopback port, a
 * temporary directory, no persistence, its own process group, killed at the end (also when
 * this process exits without cleaning up). `REDIS_SERVER_BIN` overrides the binary.
 */
import { loadTypeScript } from './load-ts.js';

const SOURCE = new URL(
  '../../packages/stores/upstash/test/support/redis-server.ts',
  import.meta.url,
);

/** @returns {Promise<{ port: number, readonly pid: number, stop: () => Promise<void> }>} */
export async function startRedisServer() {
  const { startRedisServer: start } = await loadTypeScript(SOURCE);
  return start();
}
