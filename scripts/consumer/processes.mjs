// Child processes for the consumer test: each server runs in its own process group, on a free
// loopback port, and is stopped with its whole group (npx, tsx and next spawn children).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** The environment of every child: this one without npm's `npm_*` variables (the scratch app is no workspace). */
export function childEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
  );
  return { ...env, DENO_NO_UPDATE_CHECK: '1', NEXT_TELEMETRY_DISABLED: '1', ...extra };
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Runs a command to completion; rejects with its output when it exits non-zero.
 * @returns {Promise<string>} stdout and stderr
 */
export function run(command, args, { cwd, env = childEnv() }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

/**
 * Starts a server in its own process group and waits until `origin` answers HTTP.
 * @returns {Promise<{ origin: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startServer(command, args, { cwd, env, port }) {
  const child = spawn(command, args, {
    cwd,
    env: childEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk) => {
    output += chunk;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5_000);
      await exit;
      clearTimeout(killer);
    }
  };
  const origin = `http://127.0.0.1:${port}`;
  // A startup guard, not a measurement: 600 tries 100 ms apart.
  for (let attempt = 0; attempt < 600; attempt++) {
    if (exited) throw new Error(`${command} ${args.join(' ')} exited before serving:\n${output}`);
    try {
      await fetch(origin, { method: 'HEAD', redirect: 'manual' });
      return { origin, output: () => output, stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await stop();
  throw new Error(`${command} ${args.join(' ')} did not answer on ${origin}:\n${output}`);
}
