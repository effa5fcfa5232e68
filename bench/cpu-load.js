/**
 * How busy the machine was with other work during a measurement: CPU time of all cores minus
 * that of this process and of the server under test. A busy machine makes ratios unreliable.
 */
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

/**
 * Starts a sample. `stop()` returns `otherLoad`, the share of all cores (0-1) used by processes
 * other than this one and `child` (optional), and `childMs`, the CPU time `child` used.
 */
export async function startLoadSample(child) {
  const childCpu = () => (child === undefined ? 0 : childCpuMs(child));
  const start = { wall: performance.now(), busy: machineBusyMs(), self: process.cpuUsage() };
  const childStart = await childCpu();
  return async () => {
    const childMs = (await childCpu()) - childStart;
    const self = process.cpuUsage(start.self);
    const selfMs = (self.user + self.system) / 1000;
    const wall = performance.now() - start.wall;
    const others = machineBusyMs() - start.busy - selfMs - childMs;
    return { otherLoad: Math.max(0, others / (wall * os.cpus().length)), childMs };
  };
}
