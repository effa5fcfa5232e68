/**
 * Starts a throwaway `redis-server` on a free loopback port: its own process group, a pidfile,
 * killed at the end; no persistence unless asked (`persistent`: append-only file fsynced on
 * every write, so data survives a SIGTERM and a restart, for outage tests). Install it with
 * `apt-get install -y redis-server`, or point `REDIS_SERVER_BIN` at the binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  /** Process id of the running server (changes on restart). */
  readonly pid: number;
  /** Stops it with SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Stops it with SIGTERM, as an orderly shutdown (a persistent server flushes its file). */
  terminate(): Promise<void>;
  /**
   * Starts it again on the same port and directory (stopping it first if it runs); resolves
   * once it answers PING. Empty unless `persistent`.
   */
  restart(): Promise<void>;
  /** Stops it for good and removes its directory. */
  stop(): Promise<void>;
}

const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const live = new Set<ChildProcess>();

// Last resort if the test process exits without teardown: never leave a server behind.
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

export interface RedisServerOptions {
  /** Keep data across a stop and a restart (append-only file, fsync always). @default false */
  readonly persistent?: boolean;
  /** Listen on this port. @default a free one */
  readonly port?: number;
  /** More `redis-server` arguments (Cluster mode: `--cluster-enabled yes`, …). @default [] */
  readonly args?: readonly string[];
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const persistent = options.persistent ?? false;
  const extra = options.args ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = options.port ?? (await freePort());
    try {
      child = await launch(port, dir, persistent, extra);
    } catch (error) {
      if (attempt >= 2 || options.port !== undefined) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ChildProcess | undefined = child;

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const running = current;
    current = undefined;
    if (running !== undefined) await terminate(running, signal);
  };

  return {
    port,
    get pid() {
      return current?.pid ?? -1;
    },
    kill: () => halt('SIGKILL'),
    terminate: () => halt('SIGTERM'),
    async restart() {
      await halt('SIGTERM');
      current = await launch(port, dir, persistent, extra);
    },
    async stop() {
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(
  port: number,
  dir: string,
  persistent: boolean,
  extra: readonly string[],
): Promise<ChildProcess> {
  const args = [
    ...['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes'],
    ...['--save', '', '--daemonize', 'no'],
    ...(persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...['--dir', dir, '--pidfile', join(dir, 'redis.pid'), '--logfile', ''],
    ...['--loglevel', 'warning'],
    ...extra,
  ];
  const child = spawn(BIN, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`cannot run ${BIN} (apt-get install -y redis-server): ${error.message}`, {
          cause: error,
        }),
      ),
    );
    child.once('exit', (code) => reject(new Error(`${BIN} exited with ${code}: ${stderr}`)));
  });
  exited.catch(() => {});
  live.add(child);
  child.once('exit', () => live.delete(child));
  try {
    // A persistent server answers -LOADING until its file is read back: allow for it.
    await Promise.race([exited, waitForPong(port, persistent ? 10_000 : 5_000)]);
  } catch (error) {
    killGroup(child, 'SIGKILL');
    throw error;
  }
  child.stderr?.resume();
  child.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, signal);
  // Generous: a persistent server flushes its append-only file before it exits.
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the whole group: detached made the server its leader
  } catch {
    // already gone
  }
}

/** A port nothing listens on now (127.0.0.1), `port` itself by default chosen by the OS. */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

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
