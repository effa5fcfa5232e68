// The store kit's operation helpers: the `SessionStoreError` around each store operation
// (createStoreGuard) and the one-time check retried until it passes (OnceUntilSuccess).

import { inspect } from 'node:util';
import { SessionConfigError, SessionStoreError } from '@fetch-session/core/errors';
import { createStoreGuard, isRedacted, OnceUntilSuccess } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';

/** The error `promise` rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

/** A promise and the functions that settle it, for runs the test finishes by hand. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe('store kit: createStoreGuard', () => {
  const guard = createStoreGuard('mydb');
  const PAYLOAD = 'card-4111111111111111-secret';

  it('passes results through untouched', async () => {
    expect(await guard('load', async () => 'value')).toBe('value');
    expect(await guard('delete', async () => undefined)).toBeUndefined();
  });

  it('S24: a failure becomes a SessionStoreError naming store and operation, its cause redacted', async () => {
    const driverError = Object.assign(new Error(`duplicate key (key)=(sess:k) ${PAYLOAD}`), {
      name: 'DatabaseError',
      code: '23505',
    });
    const error = await rejection(
      guard('write', async () => {
        throw driverError;
      }),
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ store: 'mydb', operation: 'write' });
    const cause = (error as SessionStoreError).cause as Error & { code?: string };
    expect(isRedacted(cause)).toBe(true);
    expect(cause.name).toBe('DatabaseError');
    expect(cause.code).toBe('23505');
    expect((cause as { original?: unknown }).original).toBe(driverError);
    expect(inspect(error, { depth: 10 })).not.toContain(PAYLOAD);
    expect(JSON.stringify(error)).not.toContain(PAYLOAD);
  });

  it('S24: a synchronous throw and a thrown non-error are wrapped and redacted too', async () => {
    const sync = await rejection(
      guard('touch', () => {
        throw new TypeError(`bad value ${PAYLOAD}`);
      }),
    );
    expect(sync).toBeInstanceOf(SessionStoreError);
    expect(((sync as SessionStoreError).cause as Error).message).not.toContain(PAYLOAD);
    const thrown = await rejection(
      guard('list', async () => {
        throw `HSET sess:k ${PAYLOAD}`;
      }),
    );
    expect(thrown).toMatchObject({ operation: 'list' });
    expect(isRedacted((thrown as SessionStoreError).cause)).toBe(true);
    expect(inspect(thrown, { depth: 10 })).not.toContain(PAYLOAD);
  });

  it("keeps the store's own SessionConfigError as the cause, as it is (it names what to fix)", async () => {
    const config = new SessionConfigError('table', 'table "sessions" does not exist');
    const error = await rejection(
      guard('load', async () => {
        throw config;
      }),
    );
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as SessionStoreError).cause).toBe(config);
  });
});

describe('store kit: OnceUntilSuccess', () => {
  it('concurrent callers share one run; later callers get its result without a new run', async () => {
    let runs = 0;
    const pending = deferred<string>();
    const once = new OnceUntilSuccess(() => {
      runs++;
      return pending.promise;
    });
    const first = once.run();
    const second = once.run();
    expect(runs).toBe(1);
    pending.resolve('checked');
    expect(await Promise.all([first, second])).toEqual(['checked', 'checked']);
    expect(await once.run()).toBe('checked');
    expect(runs).toBe(1);
  });

  it('forgets a failed run: every caller of it sees the failure, the next caller runs again', async () => {
    let runs = 0;
    const attempts = [deferred<void>(), deferred<void>()];
    const once = new OnceUntilSuccess(
      () => (attempts[runs++] as ReturnType<typeof deferred<void>>).promise,
    );
    const failing = [once.run(), once.run()];
    const missing = new Error('no table');
    attempts[0]?.reject(missing);
    for (const call of failing) expect(await rejection(call)).toBe(missing);
    const retried = once.run();
    expect(runs).toBe(2);
    attempts[1]?.resolve();
    await retried;
    await once.run();
    expect(runs).toBe(2);
  });

  it('a task that throws at once rejects (never throws from run) and is forgotten too', async () => {
    let runs = 0;
    const once = new OnceUntilSuccess<void>(() => {
      runs++;
      if (runs === 1) throw new Error('not yet');
      return Promise.resolve();
    });
    const first = once.run();
    expect(first).toBeInstanceOf(Promise);
    await expect(first).rejects.toThrow('not yet');
    await once.run();
    expect(runs).toBe(2);
  });

  it('markDone settles it without a run, and a failing run in flight does not undo that', async () => {
    let runs = 0;
    const skipped = new OnceUntilSuccess(async () => {
      runs++;
    });
    skipped.markDone();
    await skipped.run();
    expect(runs).toBe(0);

    const pending = deferred<string>();
    const once = new OnceUntilSuccess(() => {
      runs++;
      return pending.promise;
    });
    const inFlight = once.run();
    once.markDone('migrated');
    pending.reject(new Error('no table'));
    await expect(inFlight).rejects.toThrow('no table');
    expect(await once.run()).toBe('migrated');
    expect(runs).toBe(1);
  });
});
