import { createTestClock } from '@fetch-session/core/testing';
import { describe, expect, it } from 'vitest';
import type { QueuedOp } from '../../src/queued-op.js';
import { type Flush, WriteQueue } from '../../src/write-queue.js';

const op = (field: string): QueuedOp => ({
  kind: 'write',
  at: 0,
  mode: 'update',
  expiresAt: 1,
  patch: {
    meta: { createdAt: 0, lastSeenAt: 0, permanent: false },
    set: { [field]: '1' },
    delete: [],
  },
});
const fieldOf = (queued: QueuedOp): string =>
  queued.kind === 'write' ? (Object.keys(queued.patch.set)[0] as string) : queued.kind;

/** A queue whose flushes are recorded, with a test clock that `sleep` moves. */
function setup(flushImpl?: Flush) {
  const clock = createTestClock(0);
  const flushes: Array<{ key: string; fields: string[]; at: number }> = [];
  const sleeps: number[] = [];
  const queue = new WriteQueue({
    interval: 1_000,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    flush:
      flushImpl ??
      (async (key, ops) => {
        flushes.push({ key, fields: ops.map(fieldOf), at: clock.now() });
        return { outcomes: ops.map(() => 'ok' as const), wrote: true };
      }),
  });
  return { queue, clock, flushes, sleeps };
}

describe('WriteQueue', () => {
  it('writes a first call at once, and merges what arrives meanwhile into one later write', async () => {
    const { queue, flushes, sleeps } = setup();
    const first = queue.enqueue('k', op('a'));
    await first;
    const rest = ['b', 'c', 'd'].map((field) => queue.enqueue('k', op(field)));
    expect(await Promise.all(rest)).toEqual(['ok', 'ok', 'ok']);
    expect(flushes).toEqual([
      { key: 'k', fields: ['a'], at: 0 },
      { key: 'k', fields: ['b', 'c', 'd'], at: 1_000 },
    ]);
    expect(sleeps).toEqual([1_000]);
    expect(queue.pendingKeys).toBe(0);
  });

  it('merges calls made in the same tick into one batch', async () => {
    const { queue, flushes } = setup();
    await Promise.all(['a', 'b'].map((field) => queue.enqueue('k', op(field))));
    expect(flushes.map((flush) => flush.fields)).toEqual([['a', 'b']]);
  });

  it('does not wait when the last write is older than the interval, nor for other keys', async () => {
    const { queue, clock, flushes, sleeps } = setup();
    await queue.enqueue('k', op('a'));
    await queue.enqueue('other', op('b'));
    clock.advance(1_000);
    await queue.enqueue('k', op('c'));
    expect(sleeps).toEqual([]);
    expect(flushes).toHaveLength(3);
  });

  it('does not space out a batch that wrote nothing', async () => {
    const { queue, sleeps } = setup(async (_key, ops) => ({
      outcomes: ops.map(() => 'conflict' as const),
      wrote: false,
    }));
    expect(await queue.enqueue('k', op('a'))).toBe('conflict');
    await queue.enqueue('k', op('b'));
    expect(sleeps).toEqual([]);
  });

  it('fails every call of a failed batch, and the next batch still runs', async () => {
    let calls = 0;
    const { queue } = setup(async (_key, ops) => {
      if (++calls === 1) throw new Error('KV down');
      return { outcomes: ops.map(() => 'ok' as const), wrote: true };
    });
    const failed = await Promise.allSettled([
      queue.enqueue('k', op('a')),
      queue.enqueue('k', op('b')),
    ]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await queue.enqueue('k', op('c'))).toBe('ok');
  });
});
