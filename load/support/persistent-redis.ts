/**
 * A redis-server that keeps its data across a stop and a restart on the same port: append-only
 * file, fsync on every write, in a temporary directory removed at the end. (The Upstash
 * package's launcher runs without persistence on purpose; this suite needs the opposite.)
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, signalGroup, spawnGroup, stopGroup } from './processes.js';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: the load suite runs outside turbo (no task cache depends on it); same variable as the Upstash package's launcher
const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface PersistentRedis {
  readonly port: number;
  /** Process id of the running server, or -1 while stopped. */
  readonly pid: number;
  /** SIGTERM, as an orderly shutdown: the append-only file is flushed, then the process exits. */
  terminate(): Promise<void>;
  /** Starts it again on the same port and directory; resolves once it answers PING (data loaded). */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
}

export async function startPersistentRedis(): Promise<PersistentRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-load-redis-'));
  let port = 0;
  let current: ChildProcess | undefined;
  for (let attempt = 0; current === undefined; attempt++) {
    port = await freePort();
    try {
      current = await launch(port, dir);
    } catch (error) {
      if (attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const halt = async (): Promise<void> => {
    const running = current;
    current = undefined;
    if (running !== undefined) await stopGroup(running, 'SIGTERM', 10_000);
  };
  return {
    port,
    get pid() {
      return current?.pid ?? -1;
    },
    terminate: halt,
    async restart() {
      await halt();
      current = await launch(port, dir);
    },
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawnGroup(BIN, [
    ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
    ...['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    ...['--dir', dir, '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning'],
  ]);
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 10_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot run ${BIN} (apt-get install -y redis-server): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`${BIN} exited with ${code}: ${output}`)));
  });
  exited.catch(() => {});
  try {
    await Promise.race([exited, waitForPong(port, 10_000)]);
  } catch (error) {
    signalGroup(child, 'SIGKILL');
    throw error;
  }
  return child;
}

async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

/** True once Redis answers `+PONG` (while it loads the append-only file it answers `-LOADING`). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean): void => {
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
