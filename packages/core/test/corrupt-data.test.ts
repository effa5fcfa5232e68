import { jsonSerializer } from '@fetch-session/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookiePair, recordWrites, setup } from './helpers.js';

describe('corrupted stored data', () => {
  it('a field that does not parse reads as absent, with an event, and the next write replaces it', async () => {
    const base = setup();
    const { store, writes } = recordWrites(base.memory);
    const { request, events } = setup({ store });
    const cookie = cookiePair((await request(null, (s) => s.set('cart', ['a']))).setCookie);
    const key = writes[0]?.key as string;
    const record = await base.memory.load(key);
    await base.memory.write(
      key,
      {
        meta: record?.meta ?? { createdAt: 0, lastSeenAt: 0, permanent: false },
        set: { 'd:cart': '{"broken' },
        delete: [],
      },
      { mode: 'update', expiresAt: Number.MAX_SAFE_INTEGER },
    );
    const { result } = await request(cookie, async (s) => [
      await s.get('cart'),
      await s.has('cart'),
      await s.keys(),
    ]);
    expect(result).toEqual([undefined, false, []]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'corrupt-data', key: 'cart' }));
    await request(cookie, (s) => s.set('cart', ['b']));
    expect((await request(cookie, (s) => s.get('cart'))).result).toEqual(['b']);
  });

  it('arbitrary stored text never makes a read throw, and never pollutes a prototype', async () => {
    const base = setup();
    const { store, writes } = recordWrites(base.memory);
    const { request, events } = setup({ store });
    const cookie = cookiePair((await request(null, (s) => s.set('x', 1))).setCookie);
    const key = writes[0]?.key as string;
    const meta = (await base.memory.load(key))?.meta ?? {
      createdAt: 0,
      lastSeenAt: 0,
      permanent: false,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), fc.constant('{"__proto__":{"p":1}}')),
        async (text) => {
          await base.memory.write(
            key,
            { meta, set: { 'd:x': text }, delete: [] },
            { mode: 'update', expiresAt: Number.MAX_SAFE_INTEGER },
          );
          let expected: unknown;
          let parses = true;
          try {
            expected = jsonSerializer.parse(text);
          } catch {
            parses = false;
          }
          const corruptBefore = events.filter((event) => event.type === 'corrupt-data').length;
          const { result } = await request(cookie, async (s) => [await s.get('x'), await s.all()]);
          const [value, all] = result as [unknown, Record<string, unknown>];
          // Parsed by the configured serializer, or absent with one event when it does not parse.
          expect(value).toEqual(parses ? expected : undefined);
          expect(Object.keys(all)).toEqual(parses ? ['x'] : []);
          expect(all.x).toEqual(value);
          const corruptAfter = events.filter((event) => event.type === 'corrupt-data').length;
          expect(corruptAfter - corruptBefore).toBe(parses ? 0 : 1);
          expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
          expect(({} as Record<string, unknown>).p).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
