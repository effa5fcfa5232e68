/**
 * Visitors of the demo app for the load and outage runs: each one a cookie-keeping client with
 * its own connection and its own session, marked with a unique name stored through the wizard,
 * counting what the server showed it.
 *
 * The invariants checked on every response:
 * - `GET /` answers 200 or 503, nothing else, and never a `Set-Cookie` (the session was never
 *   replaced by a new or empty one).
 * - The count shown goes up by exactly one per success. The one exception is a request that
 *   failed with 503 *after* Redis had applied its write (the reply was lost when Redis stopped):
 *   then the next success shows one more. Such a jump is allowed only right after a 503 and is
 *   counted as `ambiguous`, so that `stored = successes + ambiguous` still holds exactly.
 * - `GET /debug/session` shows the visitor's own marker and count: never another's session.
 */
import { BrowserClient, type HttpResponse } from './http-client.js';

export interface Visitor {
  readonly index: number;
  readonly marker: string;
  readonly http: BrowserClient;
  /** The last count `GET /` showed. */
  shown: number;
  /** `GET /` answered 200. */
  successes: number;
  /** `GET /` answered 503. */
  unavailable: number;
  /** 503s of `GET /` since the last success (each may have been applied before Redis stopped). */
  unavailableSinceSuccess: number;
  /** Increments beyond the successes: 503s whose write had been applied nonetheless. */
  ambiguous: number;
  /** Requests done, to interleave identity checks. */
  steps: number;
}

/** One response as seen by a visitor, for phase analysis. */
export interface Seen {
  /** The visitor's index. */
  readonly client: number;
  /** When the request was sent (epoch ms). */
  readonly started: number;
  /** When its answer arrived (epoch ms). */
  readonly at: number;
  readonly status: number;
  readonly route: 'counter' | 'debug';
}

/** What all visitors saw: statuses, latencies and every broken invariant. */
export class Tally {
  readonly seen: Seen[] = [];
  readonly latencies: number[] = [];
  readonly problems: string[] = [];
  problemCount = 0;

  problem(visitor: Visitor, message: string): void {
    this.problemCount++;
    if (this.problems.length < 30) this.problems.push(`client ${visitor.index}: ${message}`);
  }

  record(visitor: Visitor, route: Seen['route'], status: number, started: number): void {
    const at = Date.now();
    this.seen.push({ client: visitor.index, started, at, status, route });
    this.latencies.push(at - started);
  }

  count(filter: (seen: Seen) => boolean = () => true): number {
    let n = 0;
    for (const seen of this.seen) if (filter(seen)) n++;
    return n;
  }

  /** Latency percentile in ms (nearest rank). */
  percentile(p: number): number {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  }
}

export function createVisitor(origin: string, index: number): Visitor {
  return {
    index,
    marker: `visitor-${index}-${crypto.randomUUID().slice(0, 8)}`,
    http: new BrowserClient(origin),
    shown: 0,
    successes: 0,
    unavailable: 0,
    unavailableSinceSuccess: 0,
    ambiguous: 0,
    steps: 0,
  };
}

/** Starts the visitor's session by storing its marker through the wizard's first step. */
export async function enrol(visitor: Visitor): Promise<void> {
  const response = await visitor.http.request('POST', '/wizard/1', {
    form: { name: visitor.marker, email: `${visitor.marker}@load.test`, action: 'next' },
  });
  if (response.status !== 302 || !visitor.http.jar.has('__Host-sid')) {
    throw new Error(`client ${visitor.index}: enrolment answered ${response.status}`);
  }
}

const COUNT = /You have visited this page (\d+) times/;

/** `GET /`: one visit, checked against what this visitor saw before. */
export async function visitCounter(visitor: Visitor, tally: Tally): Promise<number> {
  const cookieBefore = visitor.http.jar.get('__Host-sid');
  const started = Date.now();
  let response: HttpResponse;
  try {
    response = await visitor.http.request('GET', '/');
  } catch (error) {
    tally.record(visitor, 'counter', 0, started);
    tally.problem(visitor, `GET / failed: ${(error as Error).message}`);
    return 0;
  }
  tally.record(visitor, 'counter', response.status, started);
  if (response.setCookies.length > 0 || visitor.http.jar.get('__Host-sid') !== cookieBefore) {
    tally.problem(visitor, `GET / (${response.status}) set a cookie on an existing session`);
  }
  if (response.status === 503) {
    // The adapter's answer to a SessionStoreError, not some other failure.
    if (response.body !== 'Service Unavailable' || response.headers['retry-after'] !== '1') {
      tally.problem(visitor, `GET / answered an unexpected 503: ${response.body.slice(0, 100)}`);
    }
    visitor.unavailable++;
    visitor.unavailableSinceSuccess++;
    return 503;
  }
  if (response.status !== 200) {
    tally.problem(visitor, `GET / answered ${response.status}`);
    return response.status;
  }
  const shown = Number(COUNT.exec(response.body)?.[1] ?? Number.NaN);
  const extra = shown - visitor.shown - 1;
  if (
    !Number.isInteger(shown) ||
    extra < 0 ||
    extra > Math.min(1, visitor.unavailableSinceSuccess)
  ) {
    tally.problem(
      visitor,
      `GET / showed ${shown} after ${visitor.shown} (${visitor.unavailableSinceSuccess} 503s between)`,
    );
  }
  visitor.ambiguous += Math.max(0, extra);
  visitor.shown = shown;
  visitor.successes++;
  visitor.unavailableSinceSuccess = 0;
  return 200;
}

interface DebugSession {
  visits?: number;
  wizard?: { name?: string };
}

/**
 * `GET /debug/session` (read-only): the visitor's own marker, and its own count. With a 503 of
 * `GET /` pending, the stored count may be one more than shown (that write may have applied).
 * Returns the stored count, or undefined on a 503.
 */
export async function checkIdentity(visitor: Visitor, tally: Tally): Promise<number | undefined> {
  const cookieBefore = visitor.http.jar.get('__Host-sid');
  const started = Date.now();
  let response: HttpResponse;
  try {
    response = await visitor.http.request('GET', '/debug/session');
  } catch (error) {
    tally.record(visitor, 'debug', 0, started);
    tally.problem(visitor, `GET /debug/session failed: ${(error as Error).message}`);
    return undefined;
  }
  tally.record(visitor, 'debug', response.status, started);
  if (response.setCookies.length > 0 || visitor.http.jar.get('__Host-sid') !== cookieBefore) {
    tally.problem(visitor, `GET /debug/session (${response.status}) set a cookie`);
  }
  if (response.status === 503) return undefined;
  if (response.status !== 200) {
    tally.problem(visitor, `GET /debug/session answered ${response.status}`);
    return undefined;
  }
  const session = JSON.parse(response.body) as DebugSession;
  if (session.wizard?.name !== visitor.marker) {
    tally.problem(visitor, `saw the session of ${session.wizard?.name ?? 'nobody'}`);
  }
  const stored = session.visits ?? 0;
  const extra = stored - visitor.shown;
  if (extra < 0 || extra > Math.min(1, visitor.unavailableSinceSuccess)) {
    tally.problem(visitor, `stored count ${stored} but shown ${visitor.shown}`);
  }
  return stored;
}

/** Every visitor loops until `stop()`: counter visits, an identity check every fifth step. */
export async function runVisitors(
  visitors: readonly Visitor[],
  tally: Tally,
  stop: () => boolean,
  pauseAfter503Ms: number,
): Promise<void> {
  await Promise.all(
    visitors.map(async (visitor) => {
      while (!stop()) {
        visitor.steps++;
        const status =
          visitor.steps % 5 === 0
            ? (await checkIdentity(visitor, tally)) === undefined
              ? 503
              : 200
            : await visitCounter(visitor, tally);
        // A polite client backs off on 503 (the server says Retry-After: 1; we retry sooner).
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, pauseAfter503Ms));
      }
    }),
  );
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index] as T, index);
      }
    }),
  );
}
