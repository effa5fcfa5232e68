import { createSessionManager, SessionConfigError } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { cookiePair, recordWrites, SECRET, setup } from './helpers.js';

/** Writes `fields` straight into the stored record behind `cookie` (an older deploy's shape). */
async function storeSession(options: Parameters<typeof setup>[0], fields: Record<string, unknown>) {
  const base = setup();
  const { store, writes } = recordWrites(base.memory);
  const ctx = setup({ ...options, store });
  const cookie = cookiePair((await ctx.request(null, (s) => s.set('seed', 1))).setCookie);
  const key = writes[0]?.key as string;
  const record = await base.memory.load(key);
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) set[`d:${name}`] = JSON.stringify(value);
  await base.memory.write(
    key,
    { meta: record?.meta ?? { createdAt: 0, lastSeenAt: 0, permanent: false }, set, delete: [] },
    { mode: 'update', expiresAt: Number.MAX_SAFE_INTEGER },
  );
  return { ...ctx, cookie };
}

describe('validated session data (schema)', () => {
  it('F3: a zod per-key schema: a stored value of the wrong shape reads as absent, with an event naming only the key', async () => {
    const { request, events, cookie } = await storeSession(
      { schema: { cart: z.array(z.string()), count: z.number() } },
      { cart: [1, { secret: 'hunter2' }], count: 3 },
    );
    const { result } = await request(cookie, async (s) => [
      await s.get('cart'),
      await s.has('cart'),
      await s.get('count'),
      (await s.keys()).sort(),
      await s.all(),
    ]);
    expect(result).toEqual([undefined, false, 3, ['count', 'seed'], { count: 3, seed: 1 }]);
    const invalid = events.filter((event) => event.type === 'invalid-data');
    expect(invalid).toEqual([expect.objectContaining({ type: 'invalid-data', key: 'cart' })]);
    expect(JSON.stringify(invalid)).not.toContain('hunter2');
  });

  it('F3: the next write of an invalid key replaces it; an untouched invalid key is not deleted', async () => {
    const { request, cookie } = await storeSession(
      { schema: { cart: z.array(z.string()) } },
      { cart: 'not-an-array' },
    );
    await request(cookie, (s) => s.set('seed', 2));
    const raw = await request(cookie, async (s) => s.has('cart'));
    expect(raw.result).toBe(false);
    await request(cookie, (s) => s.set('cart', ['b']));
    expect((await request(cookie, (s) => s.get('cart'))).result).toEqual(['b']);
  });

  it('F3: valibot works too, and the schema output (a transform) is what the handler reads', async () => {
    const { request, cookie } = await storeSession(
      {
        schema: {
          name: v.pipe(v.string(), v.trim()),
          role: v.picklist(['user', 'admin']),
        },
      },
      { name: '  ada  ', role: 'root' },
    );
    const { result } = await request(cookie, async (s) => [
      await s.get('name'),
      await s.get('role'),
    ]);
    expect(result).toEqual(['ada', undefined]);
  });

  it('F3: async validators are awaited (zod refine with a Promise)', async () => {
    const checked: unknown[] = [];
    const schema = {
      plan: z.string().refine(async (value) => {
        checked.push(value);
        await Promise.resolve();
        return value === 'pro';
      }),
    };
    const good = await storeSession({ schema }, { plan: 'pro' });
    expect((await good.request(good.cookie, (s) => s.get('plan'))).result).toBe('pro');
    const bad = await storeSession({ schema }, { plan: 'free' });
    expect((await bad.request(bad.cookie, (s) => s.get('plan'))).result).toBeUndefined();
    expect(bad.events).toContainEqual(
      expect.objectContaining({ type: 'invalid-data', key: 'plan' }),
    );
    // zod's Standard Schema entry retries an async refine asynchronously, so each value may be seen twice.
    expect(new Set(checked)).toEqual(new Set(['pro', 'free']));
  });

  it('F3: a whole-data schema drops only the keys its issues name', async () => {
    const { request, events, cookie } = await storeSession(
      { schema: z.object({ seed: z.number(), user: z.object({ id: z.string() }) }).partial() },
      { user: { id: 42 } },
    );
    const { result } = await request(cookie, async (s) => [
      await s.get('user'),
      await s.get('seed'),
    ]);
    expect(result).toEqual([undefined, 1]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-data', key: 'user' }));
  });

  it('F3: a validator that throws counts as invalid, never as an error of the handler', async () => {
    const throwing = {
      '~standard': {
        version: 1 as const,
        vendor: 'hostile',
        validate: () => {
          throw new Error('validator bug with value hunter2');
        },
      },
    };
    const { request, events, cookie } = await storeSession({ schema: { x: throwing } }, { x: 1 });
    expect((await request(cookie, (s) => s.get('x'))).result).toBeUndefined();
    expect(events).toContainEqual(expect.objectContaining({ type: 'invalid-data', key: 'x' }));
  });

  it('F3: a schema that is not a Standard Schema is a SessionConfigError naming the option', () => {
    const base = { store: memoryStore(), secrets: SECRET };
    expect(() => createSessionManager({ ...base, schema: 'zod' as never })).toThrow(
      expect.objectContaining({ option: 'schema' }),
    );
    expect(() => createSessionManager({ ...base, schema: { cart: {} } as never })).toThrow(
      SessionConfigError,
    );
    expect(() => createSessionManager({ ...base, schema: { cart: {} } as never })).toThrow(
      /schema\.cart/,
    );
  });

  it('F3: the data type is inferred from the schema', () => {
    const sessions = createSessionManager({
      store: memoryStore(),
      secrets: SECRET,
      schema: { cart: z.array(z.string()), count: v.number() },
    });
    const session = sessions.open(null);
    expectTypeOf(session.get('cart')).resolves.toEqualTypeOf<string[] | undefined>();
    expectTypeOf(session.get('count')).resolves.toEqualTypeOf<number | undefined>();
    // @ts-expect-error: not a key of the schema
    void session.get('other');
  });
});
