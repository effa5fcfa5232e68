/**
 * The demo's built Node entry (apps/demo/dist/node.js, what `npm start` runs) as a child
 * process in its own group, on a free loopback port. Like apps/demo/test/start-node.ts, but
 * detached and tracked so that nothing outlives the run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnGroup, stopGroup, waitForOutput } from './processes.js';

const ENTRY = fileURLToPath(new URL('../../apps/demo/dist/node.js', import.meta.url));

export interface DemoServer {
  readonly origin: string;
  readonly pid: number;
  /** The demo's output so far (last 20,000 characters), for failure messages. */
  output(): string;
  /** Whether the process is still running. */
  running(): boolean;
  stop(): Promise<void>;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  if (!existsSync(ENTRY)) {
    throw new Error(`${ENTRY} is missing: build first (npm run test:load does)`);
  }
  const child = spawnGroup(process.execPath, [ENTRY], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DEMO_DEBUG_ROUTES: '1', // /debug/session is how the suite reads a session back
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'load-test-secret-0123456789abcdefghijkl',
      ...env,
    },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    const match = await waitForOutput(child, /listening on http:\/\/localhost:(\d+)/);
    return {
      origin: `http://127.0.0.1:${match[1]}`,
      pid: child.pid ?? -1,
      output: () => output,
      running: () => child.exitCode === null && child.signalCode === null,
      stop: () => stopGroup(child, 'SIGTERM'),
    };
  } catch (error) {
    await stopGroup(child, 'SIGKILL');
    throw error;
  }
}
