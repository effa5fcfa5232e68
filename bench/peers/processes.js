/**
 * Child processes of the peer benchmark: every one is started in its own process group
 * (`detached`), registered here, and killed as a group at the end, on a signal, or when this
 * process exits.
 */
import { fork } from 'node:child_process';

const live = new Set();

/** Sends `signal` to the child's whole process group (it leads one: it was started detached). */
function killGroup(child, signal = 'SIGTERM') {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/**
 * Forks a Node script with an IPC channel in its own process group. Resolves with the child
 * and its first IPC message (what it reports when ready).
 */
export function forkReady(script, args, { execArgv = [], env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      execArgv,
      env,
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    live.add(child);
    child.once('exit', () => live.delete(child));
    const onExit = (code, signal) =>
      reject(
        new Error(`${script} ${args.join(' ')} exited (${signal ?? code}) before it was ready`),
      );
    child.once('error', reject);
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.removeListener('exit', onExit);
      resolve({ child, message });
    });
  });
}

/** Stops a child's process group and waits until the child has exited (SIGKILL after 3 s). */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3_000);
  return exited.finally(() => clearTimeout(timer));
}

/** Stops every child started with {@link forkReady}. */
export async function stopAll() {
  await Promise.all([...live].map(stopChild));
}
