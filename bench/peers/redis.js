/**
 * A throwaway redis-server for the Upstash store's benchmark (the logic of
 * packages/stores/upstash/test/support/redis-server.ts, in plain JavaScript): a free loopback
 * port, a temporary directory, no persistence, its own process group, killed at the end (also
 * when this process exits without cleaning up). `REDIS_SERVER_BIN` overrides the binary.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envValue, freePort, killGroup } from './processes.js';

const BIN = envValue('REDIS_SERVER_BIN') ?? 'redis-server';

/** @returns {Promise<{ port: number, pid: number, stop: () => Promise<void> }>} */
export async function startRedisServer() {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-bench-redis-'));
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(port, dir);
      return {
        port,
        pid: child.pid,
        async stop() {
          await terminate(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

async function launch(port, dir) {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
    ...['--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ...['--dir', dir, '--pidfile', join(dir, 'redis.pid'), '--logfile', ''],
    ...['--loglevel', 'warning'],
  ];
  const child = spawn(BIN, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot run ${BIN} (apt-get install -y redis-server): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`${BIN} exited with ${code}: ${stderr}`)));
  });
  exited.catch(() => {});
  // Never leave a server behind, whatever way this process ends.
  const cleanup = () => killGroup(child, 'SIGKILL');
  process.once('exit', cleanup);
  child.once('exit', () => process.removeListener('exit', cleanup));
  try {
    await Promise.race([exited, waitForPong(port, 5_000)]);
  } catch (error) {
    killGroup(child, 'SIGKILL');
    throw error;
  }
  child.stderr.resume();
  return child;
}

async function terminate(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPong(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
