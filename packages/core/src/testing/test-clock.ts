/** A clock for tests: starts at a fixed instant and moves only when told. */
export interface TestClock {
  /** The current time in epoch milliseconds; pass it as the `now` option. */
  readonly now: () => number;
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an absolute time in epoch milliseconds. */
  set(ms: number): void;
}

/**
 * Creates a {@link TestClock}, for testing idle and absolute timeouts without waiting.
 * @example
 * ```ts
 * const clock = createTestClock();
 * const sessions = createSessionManager({ store: memoryStore({ now: clock.now }), secrets, now: clock.now });
 * clock.advance(86_400_000 + 1); // a day and a millisecond later
 * ```
 */
export function createTestClock(start: number = Date.UTC(2026, 0, 1)): TestClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
    set(ms) {
      time = ms;
    },
  };
}

/** The wall clock, for suites over backends that keep their own time; it cannot be moved. */
export function realClock(): TestClock {
  return {
    now: Date.now,
    advance() {
      throw new Error('a real clock cannot be moved');
    },
    set() {
      throw new Error('a real clock cannot be moved');
    },
  };
}
