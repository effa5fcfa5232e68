/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary directory, `pg_ctl` on a
 * free loopback port with `fsync=off`. PostgreSQL refuses to run as root, so as root every
 * command runs as the `postgres` user (`su postgres -c ...`) on a directory it owns.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from '@fetch-session/core/testing/node';

export { freePort };

const run = promisify(execFile);

/** Where Debian puts the server binaries; `PG_BIN` overrides. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  /** Stops the server at once (`-m immediate`: like a crash, connections are cut). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. Safe to call twice. */
  destroy(): Promise<void>;
  /** The postmaster's pid (the first line of `postmaster.pid`), or undefined when stopped. */
  pid(): number | undefined;
}

/** Runs a server binary, as `postgres` when we are root. */
async function pg(binary: string, args: string[]): Promise<void> {
  const command = [join(BIN, binary), ...args].map((a) => `'${a.replaceAll("'", `'\\''`)}'`);
  if (process.getuid?.() === 0) {
    await run('su', ['postgres', '-s', '/bin/sh', '-c', command.join(' ')], { timeout: 60_000 });
  } else {
    await run(join(BIN, binary), args, { timeout: 60_000 });
  }
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fetch-session-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const start = () =>
    pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = async () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    }
  };
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    try {
      await stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await start();
  } catch (error) {
    await destroy();
    throw error;
  }
  const pid = () => {
    const file = join(data, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  };
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, start, destroy, pid };
}
