/**
 * How busy the machine was with other work during a measurement: CPU time of all cores minus
 * that of this process and of the server under test. A busy machine makes ratios unreliable.
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/** The fields of /proc/<pid>/stat after the command name, or undefined when unreadable. */
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15 of the line, 12 and 13 after the name) in milliseconds. */
const cpuMsOf = (fields) => ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;

/**
 * CPU time of a process (all its threads) in milliseconds from /proc, or 0 when unreadable
 * (not Linux, or the process is gone). 10 ms resolution: for helpers, not for the measured server.
 */
export function processCpuMs(pid) {
  const fields = statFields(pid);
  return fields === undefined ? 0 : cpuMsOf(fields);
}

/**
 * CPU time in milliseconds of every live process in the trees rooted at `roots` (the roots and
 * all their descendants), by pid: a PostgreSQL server does its work in one backend process per
 * connection, children of the postmaster.
 */
export function processTreeCpuMs(roots) {
  const children = new Map();
  const cpu = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    // not Linux: no helper CPU
  }
  for (const entry of entries) {
    const fields = statFields(entry);
    if (fields === undefined) continue;
    const pid = Number(entry);
    cpu.set(pid, cpuMsOf(fields));
    const parent = Number(fields[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(pid);
  }
  const tree = new Map();
  const pending = roots.filter((pid) => cpu.has(pid));
  while (pending.length > 0) {
    const pid = pending.pop();
    if (tree.has(pid)) continue;
    tree.set(pid, cpu.get(pid));
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU used between two {@link processTreeCpuMs} samples; a process born in between counts whole. */
function cpuBetween(before, after) {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Starts a sample. `stop()` returns `otherLoad`, the share of all cores (0-1) used by processes
 * other than this one, `child` (optional) and the `helpers` (optional pids: processes the
 * measurement needs, such as a database, whose CPU time is part of the measurement; with their
 * descendants, less any that exited during the sample), and
 * `childMs` and `helpersMs`, the CPU time `child` and the helpers used.
 */
export async function startLoadSample(child, helpers = []) {
  const childCpu = () => (child === undefined ? 0 : childCpuMs(child));
  const helpersCpu = () => processTreeCpuMs(helpers);
  const start = { wall: performance.now(), busy: machineBusyMs(), self: process.cpuUsage() };
  const childStart = await childCpu();
  const helpersStart = helpersCpu();
  return async () => {
    const childMs = (await childCpu()) - childStart;
    const helpersMs = cpuBetween(helpersStart, helpersCpu());
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
