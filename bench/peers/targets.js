/**
 * Issue 17's targets as data, for both reports: each compares one measurement of ours with a
 * reference measurement (a floor, a peer, or another route of the same server), on requests/s
 * or on server CPU per request.
 */
import { SERVERS } from './servers.js';

/** The fastest signing/encrypting peer for new visitors when no run says otherwise. */
export const DEFAULT_FASTEST_PEER = 'express-session';

const ours = [
  { server: 'fs-memory', framework: 'Hono', vary: 'hono-vary', noop: 'hono-noop' },
  { server: 'fs-node-http', framework: 'node:http', vary: 'node-vary' },
];

/**
 * @param {string} fastestPeer the peer new visitors are compared with
 * @returns {{ label: string, mine: [string, string], reference: [string, string],
 *   referenceLabel: string, key: 'requestsPerSec' | 'serverCpuUs', target: number,
 *   atMost?: boolean, note?: string }[]}
 */
export function targets(fastestPeer = DEFAULT_FASTEST_PEER) {
  const list = [];
  for (const { server, framework, vary, noop } of ours) {
    list.push(
      {
        label: `${framework}: new visitor >= 3x the fastest signing/encrypting peer`,
        mine: [server, 'new'],
        reference: [fastestPeer, 'new'],
        referenceLabel: SERVERS[fastestPeer].label,
        key: 'requestsPerSec',
        target: 3,
      },
      {
        label: `${framework}: new visitor server CPU <= 2x the read route's`,
        mine: [server, 'new'],
        reference: [server, '/read'],
        referenceLabel: 'new visitor vs `/read`',
        key: 'serverCpuUs',
        target: 2,
        atMost: true,
      },
      ...[
        ['/read', 0.9],
        ['/counter', 0.8],
      ].map(([route, target]) => ({
        label: `${framework}: \`${route}\` >= ${target}x the Vary floor`,
        mine: [server, route],
        reference: [vary, route],
        referenceLabel: SERVERS[vary].label,
        key: 'requestsPerSec',
        target,
      })),
    );
    if (noop !== undefined) {
      list.push(
        ...['/read', '/counter'].map((route) => ({
          label: `${framework}: \`${route}\` next to the no-op middleware + Vary floor`,
          note: 'reference, not a target: what the library adds to any middleware',
          mine: [server, route],
          reference: ['hono-noop-vary', route],
          referenceLabel: SERVERS['hono-noop-vary'].label,
          key: 'requestsPerSec',
          target: 0.9,
        })),
        {
          label: `${framework}: \`/bare\` >= 0.97x the no-op middleware floor`,
          mine: [server, '/bare'],
          reference: [noop, '/bare'],
          referenceLabel: SERVERS[noop].label,
          key: 'requestsPerSec',
          target: 0.97,
        },
      );
    }
  }
  return list;
}

/** Whether `ratio` (mine / reference on the target's key) meets the target. */
export const isReached = (target, ratio) =>
  target.atMost ? ratio <= target.target : ratio >= target.target;
