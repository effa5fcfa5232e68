const BLOCK_SIZE = 4096;

interface Block {
  readonly keys: Array<string | undefined>;
  readonly stamps: Float64Array;
  next: Block | undefined;
}

const newBlock = (): Block => ({
  keys: new Array<string | undefined>(BLOCK_SIZE),
  stamps: new Float64Array(BLOCK_SIZE),
  next: undefined,
});

/**
 * A first-in first-out queue of (key, stamp) slots, in fixed-size blocks: push and shift are
 * O(1) at any length, with no copying and no walk over deleted entries (issue 17.3: evicting
 * with `map.keys().next()` makes V8 step over every slot deleted since the map's last
 * rehash, 149-352 µs per insert into a full map of a million).
 *
 * A slot is only a claim: the store checks it against the entry's current stamp when it
 * reaches the head, so re-queuing a key or deleting it needs no search here.
 */
export class EvictionQueue {
  #head: Block = newBlock();
  #tail: Block = this.#head;
  #headIndex = 0;
  #tailIndex = 0;
  #length = 0;

  /** Slots held, stale ones included. */
  get length(): number {
    return this.#length;
  }

  push(key: string, stamp: number): void {
    if (this.#tailIndex === BLOCK_SIZE) {
      const block = newBlock();
      this.#tail.next = block;
      this.#tail = block;
      this.#tailIndex = 0;
    }
    this.#tail.keys[this.#tailIndex] = key;
    this.#tail.stamps[this.#tailIndex] = stamp;
    this.#tailIndex++;
    this.#length++;
  }

  /** The oldest slot's key, or `undefined` when empty. */
  peekKey(): string | undefined {
    return this.#length === 0 ? undefined : this.#head.keys[this.#headIndex];
  }

  /** The oldest slot's stamp (meaningful only when not empty). */
  peekStamp(): number {
    return this.#head.stamps[this.#headIndex] ?? Number.NaN;
  }

  shift(): void {
    if (this.#length === 0) return;
    this.#head.keys[this.#headIndex] = undefined; // let the key string be collected
    this.#headIndex++;
    this.#length--;
    if (this.#length === 0) {
      // Reuse the current block from its start.
      this.#tail = this.#head;
      this.#head.next = undefined;
      this.#headIndex = 0;
      this.#tailIndex = 0;
    } else if (this.#headIndex === BLOCK_SIZE && this.#head.next !== undefined) {
      this.#head = this.#head.next;
      this.#headIndex = 0;
    }
  }

  /** Drops every slot `isCurrent` rejects, keeping order; O(length), for occasional use. */
  compact(isCurrent: (key: string, stamp: number) => boolean): void {
    const kept = new EvictionQueue();
    while (this.#length > 0) {
      const key = this.peekKey() as string;
      const stamp = this.peekStamp();
      this.shift();
      if (isCurrent(key, stamp)) kept.push(key, stamp);
    }
    this.#head = kept.#head;
    this.#tail = kept.#tail;
    this.#headIndex = kept.#headIndex;
    this.#tailIndex = kept.#tailIndex;
    this.#length = kept.#length;
  }
}
