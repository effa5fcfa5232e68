import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { RunningDemo } from './behaviour.js';

const entry = fileURLToPath(new URL('../dist/node.js', import.meta.url));

/** Starts the built Node entry as `npm start` does, on a free port. */
export async function startNodeDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'demo-test-secret-0123456789abcdefghij',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the demo exited with code ${code}: ${output}`);
  });
  while (!/listening on http:\/\/localhost:(\d+)/.test(output)) {
    await Promise.race([once(child.stdout as NodeJS.ReadableStream, 'data'), exited]);
  }
  exited.catch(() => {});
  const port = /localhost:(\d+)/.exec(output)?.[1];
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit').catch(() => {});
    },
  };
}
