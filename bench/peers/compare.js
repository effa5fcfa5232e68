/**
 * How the peer benchmarks' reports compare two measurements: medians of the undisturbed
 * rounds, ratios that never set a quiet round against a busy one, and the mark for figures
 * that rest on disturbed rounds only.
 */
import { int } from '../markdown.js';
import { summarize } from './measure.js';

export const fixed = (value, digits = 2) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
export const times = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
/** Marks what rests on disturbed rounds only. */
export const DAGGER = '†';
export const flag = (reliable) => (reliable ? '' : DAGGER);

/** One measurement's summary (undisturbed rounds when there are any), or undefined. */
export function stat(results, server, route) {
  const entry = results[server]?.[route];
  if (entry === undefined) return undefined;
  return { ...summarize(entry.runs), runs: entry.runs, response: entry.response };
}

/**
 * Two measurements' summaries chosen alike: the undisturbed rounds' medians when both have
 * undisturbed rounds (`reliable`), else the medians of all rounds of both, so that a ratio
 * never compares a quiet round with a busy one.
 */
export function pair(a, b) {
  if (a === undefined || b === undefined) return undefined;
  if (a.clean && b.clean) return { a, b, reliable: true };
  return {
    a: summarize(a.runs, { all: true }),
    b: summarize(b.runs, { all: true }),
    reliable: false,
  };
}

/** `a / b` of requests/s, as text with its reliability mark. */
export function ratioText(a, b) {
  const chosen = pair(a, b);
  if (chosen === undefined) return 'n/a';
  return `${times(chosen.a.requestsPerSec / chosen.b.requestsPerSec)}${flag(chosen.reliable)}`;
}

export const rpsText = (summary) => `${int(summary.requestsPerSec)}${flag(summary.clean)}`;

/**
 * The peer that signs or encrypts its cookie with the most requests per second on `route` in
 * `results` (the peer benchmark's servers only, not the database ones): `{ name, stat }`.
 */
export function fastestPeer(results, route, servers) {
  let best;
  for (const [name, server] of Object.entries(servers)) {
    if (server.kind !== 'peer' || server.protects === undefined || server.databases) continue;
    const value = stat(results, name, route);
    if (
      value !== undefined &&
      (best === undefined || value.requestsPerSec > best.stat.requestsPerSec)
    ) {
      best = { name, stat: value };
    }
  }
  return best;
}
