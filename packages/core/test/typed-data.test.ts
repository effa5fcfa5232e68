import { createSessionManager, type Session } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { describe, expectTypeOf, it } from 'vitest';
import { SECRET } from './helpers.js';

interface Data {
  count: number;
  user: { id: string; name: string };
}
interface Flash {
  notice: string;
}

describe('typed data', () => {
  it('infers value types from the Data and Flash parameters', async () => {
    const sessions = createSessionManager<Data, Flash>({ store: memoryStore(), secrets: SECRET });
    const session = sessions.open(null);
    expectTypeOf(session).toEqualTypeOf<Session<Data, Flash>>();
    expectTypeOf(session.get('count')).resolves.toEqualTypeOf<number | undefined>();
    expectTypeOf(session.get('user')).resolves.toEqualTypeOf<
      { id: string; name: string } | undefined
    >();
    expectTypeOf(session.takeFlash('notice')).resolves.toEqualTypeOf<string | undefined>();
    expectTypeOf(session.keys()).resolves.toEqualTypeOf<Array<'count' | 'user'>>();
    // @ts-expect-error: unknown key
    await session.get('missing');
    // @ts-expect-error: wrong value type
    await session.set('count', 'one');
    // @ts-expect-error: flash keys are separate from data keys
    await session.flash('count', 'x');
    await session.set('count', 1);
    await sessions.commit(session);
  });

  it('accepts interfaces (no index signature needed) and defaults to a string-keyed record', () => {
    const untyped = createSessionManager({ store: memoryStore(), secrets: SECRET }).open(null);
    expectTypeOf(untyped.get('anything')).resolves.toEqualTypeOf<unknown>();
  });
});
