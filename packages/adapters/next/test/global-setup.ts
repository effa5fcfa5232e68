/**
 * Builds the fixture app with `next build` (skipped when the build is newer than every input)
 * and serves it with `next start` on a free loopback port, in its own process group so that
 * teardown stops `next-server` too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@fetch-session/core/testing/node';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the running fixture app. */
    nextOrigin: string;
    /** The fixture app's folder (for `.next/server/server-reference-manifest.json`). */
    fixtureDir: string;
  }
}

const fixtureDir = fileURLToPath(new URL('./fixture-app', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../..', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
/** The workspace packages the fixture imports by name, through their `dist` builds. */
const workspaceDeps = ['core', 'stores/memory', 'adapters/next'];
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };

function newestMtime(path: string, skip: (name: string) => boolean = () => false): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (skip(name)) continue;
    newest = Math.max(newest, newestMtime(join(path, name), skip));
  }
  return newest;
}

/**
 * The fixture imports `dist`: a stale build of this adapter would test old code, so it is an
 * error; a stale core or store (someone editing it right now) is only reported.
 */
function checkWorkspaceBuilds(): number {
  let newest = 0;
  for (const dep of workspaceDeps) {
    const dist = newestMtime(join(packagesDir, dep, 'dist'), (name) =>
      name.endsWith('.tsbuildinfo'),
    );
    const src = newestMtime(join(packagesDir, dep, 'src'));
    if (dist < src) {
      const message =
        `packages/${dep}/dist is older than its src: run ` +
        '`npx turbo run build --filter=@fetch-session/next...` first (`turbo run test` does)';
      if (dep === 'adapters/next') throw new Error(message);
      console.warn(`[next fixture] ${message}; testing against the existing build`);
    }
    newest = Math.max(newest, dist);
  }
  return newest;
}

function run(args: string[], options: { detached: boolean }): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], {
    cwd: fixtureDir,
    env,
    detached: options.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return () => output;
}

async function buildFixture(): Promise<void> {
  const inputs = Math.max(
    checkWorkspaceBuilds(),
    newestMtime(fixtureDir, (name) => name === '.next' || name === 'next-env.d.ts'),
  );
  const buildId = join(fixtureDir, '.next', 'BUILD_ID');
  if (process.env.NEXT_FIXTURE_REBUILD !== '1' && newestMtime(buildId) > inputs) return;
  const started = performance.now();
  // Its own process group too, so an interrupted run leaves no build workers behind.
  const child = run(['build', fixtureDir], { detached: true });
  const output = collect(child);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output()}`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[next fixture] next build: ${seconds} s`);
}

async function waitUntilReady(origin: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output()}`);
    try {
      const response = await fetch(`${origin}/fixture/state`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`next start did not answer within 60 s:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM'); // the whole group: next start and next-server
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildFixture();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = run(['start', fixtureDir, '--port', String(port), '--hostname', '127.0.0.1'], {
    detached: true,
  });
  const output = collect(server);
  try {
    const started = performance.now();
    await waitUntilReady(origin, server, output);
    console.log(
      `[next fixture] next start: ready in ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    await stop(server);
    throw error;
  }
  project.provide('nextOrigin', origin);
  project.provide('fixtureDir', fixtureDir);
  return () => stop(server);
}
