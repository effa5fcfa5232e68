/// <reference types="node" />
/**
 * Test helpers that need Node.js (`node:net`): kept out of `@fetch-session/core/testing` so
 * that entry still loads on workerd, Deno and Bun test runners.
 * @module
 */
import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for a test server (redis-server, `next start`...). The port is
 * closed again before it is returned, so another process could take it meanwhile: start the
 * server right away and retry on `EADDRINUSE`.
 *
 * @example
 * ```ts
 * import { freePort } from '@fetch-session/core/testing/node';
 * const port = await freePort();
 * spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1']);
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
