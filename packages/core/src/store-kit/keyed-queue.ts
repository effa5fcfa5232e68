/**
 * Runs tasks one at a time per key, in the order they were queued; tasks of different keys
 * run concurrently. For stores whose backend applies a patch as read-modify-write (a file, a
 * compare-and-set loop): queueing a process's own commits to one session removes their
 * contention, so only other processes can race (and those the backend's lock or CAS handles).
 * A failed task does not stop the ones queued after it. Keys leave the map when idle.
 *
 * @example
 * ```ts
 * const queue = new KeyedQueue();
 * await queue.run(key, async () => { const old = await read(key); await save(key, merge(old)); });
 * ```
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued earlier for `key` has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous === undefined ? task() : previous.then(task, task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running tasks (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }
}
