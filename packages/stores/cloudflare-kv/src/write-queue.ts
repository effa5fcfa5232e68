import type { QueuedOp, QueuedOutcome } from './queued-op.js';
import { RecentKeys } from './recent-keys.js';

/** What a flush did: one outcome per call, and whether it wrote to KV. */
export interface FlushResult {
  readonly outcomes: readonly QueuedOutcome[];
  readonly wrote: boolean;
}

/** Applies a batch of calls to one key: read, merge, at most one KV write. */
export type Flush = (key: string, ops: readonly QueuedOp[]) => Promise<FlushResult>;

/** Options of {@link WriteQueue}. */
export interface WriteQueueOptions {
  readonly flush: Flush;
  /** Least time between two KV writes of one key, in ms. */
  readonly interval: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Calls flushed together, in arrival order, and the promise of their flush. */
interface Batch {
  readonly ops: QueuedOp[];
  settled: Promise<FlushResult>;
}

interface Lane {
  /** Settles (never rejects) when the last batch scheduled for the key is done. */
  tail: Promise<void>;
  /** The batch still accepting calls: it waits for the previous one and for the interval. */
  open: Batch | undefined;
}

const ignore = (): void => {};

/**
 * Serializes this isolate's writes to each key and coalesces them, so that one isolate sends KV
 * at most one write per key per `interval` (KV allows one per second) and concurrent patches to
 * one session all survive: calls that arrive while a key's write is in flight, or within the
 * interval after it, join one batch that reads the record once, applies every call in order and
 * writes once.
 *
 * Only this isolate is serialized. Other isolates and locations write the same key
 * independently: across them, KV is last-writer-wins.
 *
 * On Workers, a batch's KV calls run in the request that opened it, which awaits the batch and
 * so stays alive until it settles. The other requests in the batch await that same promise,
 * created in the opening request: workerd then counts the wait as pending work of theirs
 * (cross-request promise resolution). A promise each of them created and had resolved from
 * elsewhere would not count, and workerd would cancel them as hung.
 */
export class WriteQueue {
  readonly #lanes = new Map<string, Lane>();
  readonly #recent: RecentKeys;
  readonly #options: WriteQueueOptions;

  constructor(options: WriteQueueOptions) {
    this.#options = options;
    this.#recent = new RecentKeys(options.interval, 100_000, options.now);
  }

  /** Queues a call for `key`; resolves with its outcome once its batch is written. */
  enqueue(key: string, op: QueuedOp): Promise<QueuedOutcome> {
    const existing = this.#lanes.get(key);
    if (existing?.open !== undefined) return join(existing.open, op);
    const lane: Lane = existing ?? { tail: Promise.resolve(), open: undefined };
    const batch: Batch = { ops: [], settled: Promise.resolve({ outcomes: [], wrote: false }) };
    batch.settled = this.#run(key, lane, batch, lane.tail);
    const tail = batch.settled.then(ignore, ignore);
    lane.open = batch;
    lane.tail = tail;
    this.#lanes.set(key, lane);
    void tail.then(() => {
      if (lane.tail === tail) this.#lanes.delete(key);
    });
    return join(batch, op);
  }

  /** How many keys have a batch queued or in flight. */
  get pendingKeys(): number {
    return this.#lanes.size;
  }

  async #run(key: string, lane: Lane, batch: Batch, previous: Promise<void>): Promise<FlushResult> {
    const { flush, interval, now, sleep } = this.#options;
    await previous;
    const lastWrite = this.#recent.markedAt(key);
    if (lastWrite !== undefined) {
      const wait = lastWrite + interval - now();
      if (wait > 0) await sleep(wait);
    }
    if (lane.open === batch) lane.open = undefined;
    try {
      const result = await flush(key, batch.ops);
      if (result.wrote) this.#recent.mark(key);
      return result;
    } catch (error) {
      this.#recent.mark(key); // a failed write may still have reached KV
      throw error;
    }
  }
}

function join(batch: Batch, op: QueuedOp): Promise<QueuedOutcome> {
  const index = batch.ops.push(op) - 1;
  return batch.settled.then((result) => result.outcomes[index] ?? 'conflict');
}
