import { type ChildProcess, spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from '@fetch-session/core/testing/node';

/** A real memcached on a loopback port, started and stopped by the tests. */
export interface MemcachedServer {
  readonly port: number;
  readonly address: string;
  /** Kills the server (its data is gone, as on a real restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

export async function startMemcached(): Promise<MemcachedServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64'];
    if (process.getuid?.() === 0) args.push('-u', 'nobody');
    child = spawn('memcached', args, { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      child?.once('error', (error) =>
        reject(new Error('cannot run memcached (apt-get install -y memcached)', { cause: error })),
      );
      void waitForPort(port).then(resolve, reject);
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { port, address: `127.0.0.1:${port}`, start, stop };
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`memcached did not listen on ${port}`);
}
