/**
 * Runs an asynchronous task once, for every caller: concurrent callers share the run in
 * flight, later ones get its result. A run that fails is forgotten, so the next caller starts
 * a fresh one: a one-time check (a table that does not exist yet, a server still starting)
 * does not stay failed after its cause is fixed.
 *
 * @example A schema check before a store's first statement
 * ```ts
 * const schema = new OnceUntilSuccess(() => checkTable(client));
 * async function load(key: string) {
 *   await schema.run(); // one check for the store, retried until it passes
 *   return client.get(key);
 * }
 * // after creating the table: no check needed any more
 * schema.markDone();
 * ```
 */
export class OnceUntilSuccess<T> {
  readonly #task: () => Promise<T>;
  #result: Promise<T> | undefined;

  constructor(task: () => Promise<T>) {
    this.#task = task;
  }

  /** The task's result: from the run in flight or the one that succeeded, else a new run. */
  run(): Promise<T> {
    if (this.#result !== undefined) return this.#result;
    // `async` so that a task that throws at once rejects like one that fails later.
    const attempt = (async () => this.#task())().catch((error: unknown) => {
      // A run that `markDone` replaced meanwhile is not this one: keep the newer result.
      if (this.#result === attempt) this.#result = undefined;
      throw error;
    });
    this.#result = attempt;
    return attempt;
  }

  /** Settles it with `value` without running the task (what it would check is known to hold). */
  markDone(value: T): void {
    this.#result = Promise.resolve(value);
  }
}
