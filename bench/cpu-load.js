/**
 * How busy the machine was with other work during a measurement: CPU time of all cores minus
 * that of this process and of the server under test. A busy machine makes ratios unreliable.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Above this share of all cores used by other processes, a measurement counts as disturbed. */
export const BUSY = 0.1;

/** The undisturbed measurements, or all of them when every one was disturbed. */
export function undisturbed(list) {
  const clean = list.filter((item) => item.otherLoad <= BUSY);
  return clean.length > 0 ? clean : list;
}

function machineBusyMs() {
  let busy = 0;
  for (const { times } of os.cpus()) busy += times.user + times.nice + times.sys + times.irq;
  return busy;
}

/** Asks a server process (bench/server.js) for its CPU time, in milliseconds. */
export function childCpuMs(child) {
  return new Promise((resolve) => {
    child.once('message', ({ cpu }) => resolve((cpu.user + cpu.system) / 1000));
    child.send('cpu');
  });
}

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ: 100 on every Linux architecture). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time of a process (all its threads) in milliseconds from /proc, or 0 when unreadable
 * (not Linux, or the process is gone). 10 ms resolution: for helpers, not for the measured server.
 */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Starts a sample. `stop()` returns `otherLoad`, the share of all cores (0-1) used by processes
 * other than this one, `child` (optional) and the `helpers` (optional pids: processes the
 * measurement needs, such as a database, whose CPU time is part of the measurement), and
 * `childMs` and `helpersMs`, the CPU time `child` and the helpers used.
 */
export async function startLoadSample(child, helpers = []) {
  const childCpu = () => (child === undefined ? 0 : childCpuMs(child));
  const helpersCpu = () => helpers.reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const start = { wall: performance.now(), busy: machineBusyMs(), self: process.cpuUsage() };
  const childStart = await childCpu();
  const helpersStart = helpersCpu();
  return async () => {
    const childMs = (await childCpu()) - childStart;
    const helpersMs = helpersCpu() - helpersStart;
    const self = process.cpuUsage(start.self);
    const selfMs = (self.user + self.system) / 1000;
    const wall = performance.now() - start.wall;
    const others = machineBusyMs() - start.busy - selfMs - childMs - helpersMs;
    return {
      otherLoad: Math.max(0, others / (wall * os.cpus().length)),
      childMs,
      helpersMs,
    };
  };
}
