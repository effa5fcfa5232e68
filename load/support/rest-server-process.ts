/**
 * The Upstash REST test server (packages/stores/upstash/test/support/upstash-rest-server.ts)
 * in a process of its own, bundled with esbuild. In the test process it would share one event
 * loop with hundreds of HTTP clients: Node then serves some connections seconds late (measured:
 * per-client throughput 14..149 and a 2.4 s tail for a trivial server and client in one
 * process, against 40..43 and 0.46 s in two), which would be the harness's latency, not the
 * demo's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop as stopEsbuild } from 'esbuild';
import { spawnGroup, stopGroup, waitForOutput } from './processes.js';

const SERVER_SOURCE = fileURLToPath(
  new URL('../../packages/stores/upstash/test/support/upstash-rest-server.ts', import.meta.url),
);

const ENTRY = `
import { startUpstashRestServer } from ${JSON.stringify(SERVER_SOURCE)};
(async () => {
  const server = await startUpstashRestServer({
    redisPort: Number(process.env.REDIS_PORT),
    commandTimeout: Number(process.env.COMMAND_TIMEOUT),
  });
  console.log('rest-server ' + JSON.stringify({ url: server.url, token: server.token }));
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

export interface RestServerProcess {
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startRestServerProcess(options: {
  redisPort: number;
  /** The REST server answers 503 when Redis does not reply within this many ms. @default 2000 */
  commandTimeout?: number;
}): Promise<RestServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-load-rest-'));
  const bundle = join(dir, 'rest-server.cjs');
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: dir, sourcefile: 'rest-server-entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  await stopEsbuild(); // its service process would outlive the test file otherwise
  writeFileSync(bundle, result.outputFiles[0]?.text ?? '');
  const child = spawnGroup(process.execPath, [bundle], {
    env: {
      ...process.env,
      REDIS_PORT: String(options.redisPort),
      COMMAND_TIMEOUT: String(options.commandTimeout ?? 2_000),
    },
  });
  try {
    const match = await waitForOutput(child, /rest-server (\{.*\})\n/);
    const { url, token } = JSON.parse(match[1] as string) as { url: string; token: string };
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      url,
      token,
      pid: child.pid ?? -1,
      async stop() {
        await stopGroup(child, 'SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopGroup(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
