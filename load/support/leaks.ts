/**
 * Leak checks from /proc (Linux): the processes a test file started must be gone at its end,
 * and nothing carrying this run's marker may outlive the run.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Set by the global setup for the whole run; every child process inherits it. */
export const RUN_MARKER_VAR = 'FETCH_SESSION_LOAD_RUN';

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

export interface ProcessInfo {
  readonly pid: number;
  readonly state: string;
  readonly command: string;
}

function info(pid: number): (ProcessInfo & { ppid: number }) | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
  const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();
  return { pid, state, ppid: Number(ppid), command };
}

/** Live (non-zombie) children of `parent`, by default of this process. */
export function childProcesses(parent: number = process.pid): ProcessInfo[] {
  return pids()
    .map(info)
    .filter((p): p is ProcessInfo & { ppid: number } => p?.ppid === parent && p.state !== 'Z')
    .map(({ pid, state, command }) => ({ pid, state, command }));
}

/** Processes whose environment holds `RUN_MARKER_VAR=marker`, except `exclude`. */
export function markedProcesses(
  marker: string,
  exclude: (p: ProcessInfo) => boolean,
): ProcessInfo[] {
  const needle = `${RUN_MARKER_VAR}=${marker}`;
  const found: ProcessInfo[] = [];
  for (const pid of pids()) {
    if (pid === process.pid) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (environ === undefined || !environ.split('\0').includes(needle)) continue;
    const p = info(pid);
    if (p !== undefined && p.state !== 'Z' && !exclude(p)) found.push(p);
  }
  return found;
}
