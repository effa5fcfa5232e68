/**
 * The Upstash REST test server of the Upstash package
 * (packages/stores/upstash/test/support/upstash-rest-server.ts: the protocol in front of a real
 * redis-server, see /shared/UPSTASH-REST.md), bundled with esbuild so this plain-JavaScript
 * benchmark runs the very same code the tests do. Request logging is off (only
 * `requestCount`, which is what a store's round trips are), so long runs do not grow memory.
 *
 * Run as a process: `node bench/peers/upstash-rest.js <redis port> <token>` reports `{ url }`
 * over IPC (or prints it) and exits when its parent disconnects.
 */
import { fileURLToPath } from 'node:url';
import { loadTypeScript } from './load-ts.js';

const SOURCE = new URL(
  '../../packages/stores/upstash/test/support/upstash-rest-server.ts',
  import.meta.url,
);

/**
 * @param {{ redisPort: number, token?: string }} options
 * @returns {Promise<{ url: string, token: string, readonly requestCount: number,
 *   close: () => Promise<void> }>}
 */
export async function startUpstashRestServer({ redisPort, token }) {
  const { startUpstashRestServer: start } = await loadTypeScript(SOURCE);
  return start({ redisPort, record: false, ...(token !== undefined && { token }) });
}

// As a process: serve until the parent goes away.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [redisPort, token] = process.argv.slice(2);
  const server = await startUpstashRestServer({ redisPort: Number(redisPort), token });
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.send === undefined) console.log(JSON.stringify({ url: server.url }));
  else {
    process.on('disconnect', stop);
    process.send({ url: server.url });
  }
}
