/**
 * Marks every process of this run (test workers and everything they start inherit the
 * variable), and at the end fails the run if any marked process other than vitest's own is
 * still alive: a leaked redis-server, demo or workerd. Leaks are killed before failing.
 */
import { markedProcesses, RUN_MARKER_VAR } from './support/leaks.js';

export default function setup(): () => void {
  const marker = `${process.pid}-${Date.now()}`;
  process.env[RUN_MARKER_VAR] = marker;
  return () => {
    const leaked = markedProcesses(marker, (p) => /vitest|esbuild/.test(p.command));
    for (const { pid } of leaked) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if (leaked.length > 0) {
      process.exitCode = 1; // vitest reports an error thrown here but would still exit with 0
      throw new Error(
        `processes outlived the load suite (killed now): ${leaked
          .map((p) => `${p.pid} ${p.command}`)
          .join('; ')}`,
      );
    }
  };
}
