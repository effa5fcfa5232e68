/**
 * Visitors counting their own visits through a session manager, for fault tests: each keeps
 * one session and increments `n` once per request; the app answers the new value. Records
 * every answer so tests can check, by counts, that no acknowledged write was lost and that no
 * request ever got an empty session over real data.
 */
import {
  createSessionManager,
  type SessionEvent,
  type SessionManager,
  type SessionStore,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';

/** The interface has no default type arguments (createSessionManager does). */
type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

export interface Visitor {
  cookie: string;
  /** The highest `n` a 200 answer acknowledged. */
  acknowledged: number;
}

export interface VisitTally {
  ok: number;
  unavailable: number;
  /** Answers other than 200 and 503, or a 200 that did not continue the visitor's count. */
  wrong: string[];
}

export interface Visitors {
  readonly sessions: Manager;
  readonly events: SessionEvent[];
  readonly visitors: Visitor[];
  readonly tally: VisitTally;
  /** One request of `visitor`. */
  visit(visitor: Visitor): Promise<void>;
  /** `rounds` requests per visitor, the visitors side by side; `between` runs after each round. */
  run(rounds: number, between?: (round: number) => Promise<void> | void): Promise<void>;
  /** The stored `n` of a visitor (a 503 counts as `undefined`). */
  stored(visitor: Visitor): Promise<number | undefined>;
  /** Store errors that are not SessionStoreError (must be none). */
  untypedErrors(): unknown[];
}

export async function startVisitors(store: SessionStore, count: number): Promise<Visitors> {
  const events: SessionEvent[] = [];
  const sessions = createSessionManager({
    store,
    secrets: 'fault-visitors-secret-0123456789abcdef',
    onEvent: (event) => events.push(event),
  }) as Manager;
  const app = sessions.wrap(async (_request, session) => {
    const n = (((await session.get('n')) as number | undefined) ?? 0) + 1;
    await session.set('n', n);
    return Response.json({ n });
  });
  const read = sessions.wrap(async (_request, session) =>
    Response.json({ n: (await session.get('n')) ?? null }),
  );
  const tally: VisitTally = { ok: 0, unavailable: 0, wrong: [] };
  const visitors: Visitor[] = [];
  for (let i = 0; i < count; i++) {
    const response = await app(new Request('https://app.test/'));
    const cookie = (response.headers.get('set-cookie') as string).split(';')[0] as string;
    visitors.push({ cookie, acknowledged: 1 });
  }
  const visit = async (visitor: Visitor): Promise<void> => {
    const response = await app(
      new Request('https://app.test/', { headers: { cookie: visitor.cookie } }),
    );
    if (response.status === 503) {
      tally.unavailable++;
      return;
    }
    if (response.status !== 200) {
      tally.wrong.push(`status ${response.status}`);
      return;
    }
    const { n } = (await response.json()) as { n: number };
    // A 503 commit may still have applied, so n may jump; it must never go back (an empty
    // session over real data would restart it at 1, with a new cookie).
    if (n <= visitor.acknowledged || response.headers.get('set-cookie') !== null) {
      tally.wrong.push(`n went from ${visitor.acknowledged} to ${n}`);
    }
    visitor.acknowledged = Math.max(visitor.acknowledged, n);
    tally.ok++;
  };
  return {
    sessions,
    events,
    visitors,
    tally,
    visit,
    async run(rounds, between) {
      for (let round = 0; round < rounds; round++) {
        await Promise.all(visitors.map(visit));
        await between?.(round);
      }
    },
    async stored(visitor) {
      const response = await read(
        new Request('https://app.test/', { headers: { cookie: visitor.cookie } }),
      );
      if (response.status !== 200) return undefined;
      return ((await response.json()) as { n: number | null }).n ?? 0;
    },
    untypedErrors() {
      return events
        .filter((event) => event.type === 'store-error')
        .map((event) => (event as { error: unknown }).error)
        .filter((error) => !(error instanceof SessionStoreError));
    },
  };
}

/**
 * Several groups (one per client) as one: `run` drives them side by side, the visitors and
 * tallies are all of theirs. `visit` and `stored` go to the group the visitor belongs to.
 */
export function combine(groups: readonly Visitors[]): Visitors {
  const owner = (visitor: Visitor) =>
    groups.find((group) => group.visitors.includes(visitor)) as Visitors;
  const sum = (pick: (tally: VisitTally) => number) =>
    groups.reduce((total, group) => total + pick(group.tally), 0);
  return {
    sessions: (groups[0] as Visitors).sessions,
    get events() {
      return groups.flatMap((group) => group.events);
    },
    visitors: groups.flatMap((group) => group.visitors),
    tally: {
      get ok() {
        return sum((tally) => tally.ok);
      },
      get unavailable() {
        return sum((tally) => tally.unavailable);
      },
      get wrong() {
        return groups.flatMap((group) => group.tally.wrong);
      },
    } as VisitTally,
    visit: (visitor) => owner(visitor).visit(visitor),
    async run(rounds, between) {
      for (let round = 0; round < rounds; round++) {
        await Promise.all(groups.map((group) => group.run(1)));
        await between?.(round);
      }
    },
    stored: (visitor) => owner(visitor).stored(visitor),
    untypedErrors: () => groups.flatMap((group) => group.untypedErrors()),
  };
}
