import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningDemo } from '../behaviour.js';

/** The demo app's folder: its npm scripts run from here. */
const demoDir = fileURLToPath(new URL('../../', import.meta.url));

/** The `node_modules/.bin` folders `npm run` puts on the PATH: this folder's and its parents'. */
function binPath(): string {
  const bins: string[] = [];
  for (let dir = demoDir; dirname(dir) !== dir; dir = dirname(dir))
    bins.push(join(dir, 'node_modules', '.bin'));
  return [...bins, process.env.PATH ?? ''].join(delimiter);
}

/**
 * Runs one of the demo's npm scripts (`start:bun`, `start:deno`) on a free loopback port and
 * waits for the entry's `listening on http://localhost:<port>` line. The script's command is
 * spawned directly (as `npm run` would, minus npm and sh) so that `stop()` sees the runtime
 * itself exit; it runs as its own process group, and `stop()` kills the whole group.
 */
export async function startDemoScript(
  script: string,
  env: Record<string, string> = {},
): Promise<RunningDemo> {
  const { scripts } = JSON.parse(readFileSync(join(demoDir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = scripts[script];
  if (command === undefined || /["'$&|;<>]/.test(command))
    throw new Error(`no simple npm script ${script} in apps/demo/package.json`);
  const [executable = '', ...args] = command.trim().split(/\s+/);
  const child = spawn(executable, args, {
    cwd: demoDir,
    env: {
      ...process.env,
      PATH: binPath(),
      DENO_NO_UPDATE_CHECK: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'demo-test-secret-0123456789abcdefghij',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    output += chunk;
  });
  const listening = /listening on http:\/\/localhost:(\d+)/;
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${command} exited (${signal ?? code}) before listening: ${output}`);
  });
  exited.catch(() => {});
  try {
    const deadline = AbortSignal.timeout(30_000);
    while (!listening.test(output)) {
      const data = once(child.stdout as NodeJS.ReadableStream, 'data', { signal: deadline });
      await Promise.race([data, exited]);
    }
  } catch (error) {
    await killGroup(child);
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${listening.exec(output)?.[1]}`,
    stop: () => killGroup(child),
  };
}

/**
 * SIGTERM to the process group, SIGKILL 5 seconds later if the runtime has not exited; then
 * SIGKILL to anything left in the group.
 */
async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // ESRCH: the group is gone
    }
  };
  if (child.exitCode === null && child.signalCode === null) {
    const exit = once(child, 'exit');
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
  }
  signal('SIGKILL');
}
