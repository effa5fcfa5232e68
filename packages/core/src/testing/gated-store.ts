import type { SessionStore } from '../store.js';

/** A store method a {@link GatedStore} can hold. */
export type GatedOperation = 'load' | 'write' | 'touch' | 'delete' | 'listUserSessions';

/** A call waiting at the gate. */
export interface HeldCall {
  readonly operation: GatedOperation;
  /** The store key, or the user ID for `listUserSessions`. */
  readonly key: string;
}

/**
 * A store whose calls can be held and let through one at a time, to put two requests' store
 * calls in an exact order (a race, replayed deterministically).
 */
export interface GatedStore {
  /** The wrapped store: pass it to a session manager. */
  readonly store: SessionStore;
  /** Starts holding: from now on every call waits until {@link GatedStore.step} runs it. */
  hold(): void;
  /** Stops holding: waiting calls and later ones run at once. */
  open(): void;
  /** Calls waiting, oldest first. */
  readonly waiting: readonly HeldCall[];
  /** Resolves when a call is waiting (at once if one is). */
  arrival(): Promise<void>;
  /**
   * Runs the oldest waiting call (waits for one to arrive) and resolves when the wrapped
   * store has answered it, so the next step starts after this one's effect.
   */
  step(): Promise<HeldCall>;
}

interface Waiter extends HeldCall {
  run(): Promise<void>;
}

/**
 * Wraps a real store so that a test controls when each call reaches it. No test runner and
 * no `node:` imports: it runs anywhere the core does.
 *
 * @example Replay "a revoke lists, then the regenerate creates and deletes, then the revoke deletes"
 * ```ts
 * const regenerating = createGatedStore(store);
 * const revoking = createGatedStore(store);
 * regenerating.hold();
 * revoking.hold();
 * const revoke = sessionsB.revokeSession(user, handle); // calls revoking.store
 * const commit = sessionsA.commit(session); // calls regenerating.store
 * await revoking.step(); // list
 * await regenerating.step(); // create the new record
 * await regenerating.step(); // delete the old one
 * regenerating.open();
 * revoking.open();
 * await Promise.allSettled([revoke, commit]);
 * ```
 */
export function createGatedStore(inner: SessionStore): GatedStore {
  let holding = false;
  const queue: Waiter[] = [];
  let notify: (() => void) | undefined;

  const through = <T>(operation: GatedOperation, key: string, call: () => Promise<T>) => {
    if (!holding) return call();
    return new Promise<T>((resolve, reject) => {
      queue.push({
        operation,
        key,
        run: () => call().then(resolve, reject),
      });
      notify?.();
    });
  };

  const store: SessionStore = {
    name: inner.name,
    load: (key) => through('load', key, () => inner.load(key)),
    write: (key, patch, options) => through('write', key, () => inner.write(key, patch, options)),
    delete: (key) => through('delete', key, () => inner.delete(key)),
  };
  const { touch, listUserSessions } = inner;
  if (touch !== undefined) {
    Object.assign(store, {
      touch: (key: string, meta: Parameters<typeof touch>[1], options: { expiresAt: number }) =>
        through('touch', key, () => touch.call(inner, key, meta, options)),
    });
  }
  if (listUserSessions !== undefined) {
    Object.assign(store, {
      listUserSessions: (userId: string) =>
        through('listUserSessions', userId, () => listUserSessions.call(inner, userId)),
    });
  }

  const arrival = (): Promise<void> =>
    queue.length > 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          notify = () => {
            notify = undefined;
            resolve();
          };
        });

  return {
    store,
    hold() {
      holding = true;
    },
    open() {
      holding = false;
      for (const waiter of queue.splice(0)) void waiter.run();
    },
    get waiting() {
      return queue.map(({ operation, key }) => ({ operation, key }));
    },
    arrival,
    async step() {
      await arrival();
      const waiter = queue.shift() as Waiter;
      // The call's own outcome belongs to its caller; the step only waits for it to settle.
      await waiter.run().catch(() => undefined);
      return { operation: waiter.operation, key: waiter.key };
    },
  };
}

/** One side of {@link interleave}: a gate and the work that goes through it. */
export interface InterleavedActor {
  readonly gate: GatedStore;
  readonly run: () => Promise<unknown>;
}

/**
 * Runs actors whose store calls go through their own gates, letting one call through at a
 * time in the order `schedule` names (indexes into `actors`); a step naming an actor that has
 * finished is skipped. After the schedule every gate opens. Resolves with each actor's result.
 * Enumerate schedules ({@link schedules}) to try every interleaving of the first steps.
 */
export async function interleave(
  actors: readonly InterleavedActor[],
  schedule: readonly number[],
): Promise<PromiseSettledResult<unknown>[]> {
  for (const actor of actors) actor.gate.hold();
  const done = actors.map(() => false);
  const runs = actors.map((actor, index) => {
    const run = Promise.resolve().then(actor.run);
    void run.then(
      () => {
        done[index] = true;
      },
      () => {
        done[index] = true;
      },
    );
    return run;
  });
  try {
    for (const index of schedule) {
      const actor = actors[index] as InterleavedActor;
      const run = runs[index] as Promise<unknown>;
      if (done[index]) continue;
      const arrived = await Promise.race([
        actor.gate.arrival().then(() => true),
        run.then(
          () => false,
          () => false,
        ),
      ]);
      if (arrived) await actor.gate.step();
    }
  } finally {
    for (const actor of actors) actor.gate.open();
  }
  return Promise.allSettled(runs);
}

/** Every schedule of `length` steps over `actors` actors (`actors ** length` of them). */
export function schedules(actors: number, length: number): number[][] {
  let all: number[][] = [[]];
  for (let step = 0; step < length; step++) {
    all = all.flatMap((prefix) => Array.from({ length: actors }, (_, index) => [...prefix, index]));
  }
  return all;
}
