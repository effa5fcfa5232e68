// Property tests with hostile input: cookie headers (S11, S27, S32, S33) and stored data (S30).
import { createHash } from 'node:crypto';
import { createSessionManager, type SessionManager, type SessionRecord } from '@fetch-session/core';
import { type CountingStore, countStoreCalls, createTestClock } from '@fetch-session/core/testing';
import { type MemoryStore, memoryStore } from '@fetch-session/memory';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdSigner } from '../src/signer.js';

type Manager = SessionManager<Record<string, unknown>, Record<string, unknown>>;

const SECRET = 'hostile-input-test-secret-0123456789abcdefgh';
const PURPOSE = 'fetch-session/session-id/v1';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const encoder = new TextEncoder();

/**
 * The value of the first cookie called `name`, the way browsers and the `cookie` library read a
 * `Cookie` header: split on `;`, skip pairs without `=`, trim only space and tab.
 */
function firstCookie(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (trimSpaceTab(part.slice(0, eq)) === name) return trimSpaceTab(part.slice(eq + 1));
  }
  return undefined;
}

function trimSpaceTab(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, '');
}

function base64urlString(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: length, maxLength: length });
}

/** Any single character other than `;`, space and tab (which would end or be trimmed from a cookie). */
const inertChar = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 1 })
  .filter((c) => c !== ';' && c !== ' ' && c !== '\t');

describe('hostile cookie headers', () => {
  const clock = createTestClock();
  let store: CountingStore;
  let sessions: Manager;
  /** Two real sessions: x = 1 and x = 2. */
  let valueA: string;
  let valueB: string;

  async function issue(x: number): Promise<string> {
    const session = sessions.open(null);
    await session.set('x', x);
    const { setCookie } = await sessions.commit(session);
    return (setCookie as string).split(';')[0]?.slice('sid='.length) as string;
  }

  beforeAll(async () => {
    store = countStoreCalls(memoryStore({ now: clock.now }));
    sessions = createSessionManager({ store, secrets: SECRET, now: clock.now });
    valueA = await issue(1);
    valueB = await issue(2);
  });

  /** Opens `header`, reads, commits; never throws for any header. */
  async function visit(header: string) {
    store.reset();
    const session = sessions.open(header);
    const x = await session.get('x');
    const isNew = await session.isNew();
    const commit = await sessions.commit(session);
    return { x, isNew, commit, calls: { ...store.calls } };
  }

  /** How many checked headers resolved to a real session, so properties cannot pass vacuously. */
  const outcomes = { existing: 0, fresh: 0 };

  /** Checks a visit against the model: only the exact issued value, as first `sid`, is a session. */
  async function expectModel(header: string): Promise<void> {
    const expected = firstCookie(header, 'sid');
    const result = await visit(header);
    if (expected === valueA || expected === valueB) {
      outcomes.existing++;
      expect(result.isNew).toBe(false);
      expect(result.x).toBe(expected === valueA ? 1 : 2);
      expect(result.calls.load).toBe(1);
    } else {
      outcomes.fresh++;
      expect(result.isNew).toBe(true);
      expect(result.x).toBeUndefined();
      expect(result.commit.setCookie).toBeUndefined();
      // Only a value of signed shape could ever be verified; none of these reach the store.
      expect(result.calls.load).toBe(0);
    }
    expect(result.calls.write + result.calls.delete + result.calls.touch).toBe(0);
  }

  /** Names an attacker might use: ours, near-misses, and random ones. */
  const nameArb = fc.oneof(
    { arbitrary: fc.constant('sid'), weight: 6 },
    { arbitrary: fc.constantFrom(' sid', 'sid ', '\tsid', 'sid\t', ' \t sid'), weight: 2 },
    fc.constantFrom(
      '\u00a0sid',
      'sid\u00a0',
      'SID',
      'Sid',
      'sid\u0000',
      '\u2003sid',
      '\ufeffsid',
      '\rsid',
    ),
    fc.constantFrom('\nsid', 's id', 'sid=', 'x', '__proto__', 'constructor', ''),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
  );

  /** Values: the real ones, damaged copies, look-alikes and noise. Call after `beforeAll`. */
  const valueArb = (): fc.Arbitrary<string> =>
    fc.oneof(
      { arbitrary: fc.constant(valueA), weight: 5 },
      { arbitrary: fc.constant(valueB), weight: 5 },
      fc.constantFrom(' ', '\t', '\u00a0', '"').map((pad) => pad + valueA + pad),
      fc
        .tuple(fc.integer({ min: 0, max: 86 }), inertChar)
        .map(([i, c]) => valueA.slice(0, i) + c + valueA.slice(i + 1)),
      fc.integer({ min: 0, max: 86 }).map((n) => valueA.slice(0, n)),
      fc.tuple(base64urlString(43), base64urlString(43)).map(([id, mac]) => `${id}.${mac}`),
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 100 }),
      fc.constantFrom('', '=', '..', '/', '*', '\u0000', '1e308', '9'.repeat(400)),
    );

  const separatorArb = fc.constantFrom('; ', ';', ' ; ', ';\t', ';;', '; ;', '\t;', ', ');
  // Built on use, not at collection time: the issued values exist only after `beforeAll`.
  const headerArb = (): fc.Arbitrary<string> => {
    const pairArb = fc
      .tuple(nameArb, fc.constantFrom('=', ' = ', '=\t', '==', ''), valueArb())
      .map(([name, eq, value]) => `${name}${eq}${value}`);
    return fc
      .array(fc.tuple(pairArb, separatorArb), { maxLength: 12 })
      .map((parts) => parts.map(([pair, separator]) => pair + separator).join(''));
  };

  it('S32: arbitrary lists of name=value pairs yield a session only for the exact issued value as first sid', async () => {
    await fc.assert(
      fc.asyncProperty(headerArb(), async (header) => {
        await expectModel(header);
      }),
      { numRuns: 500 },
    );
    // Both branches of the model were exercised many times.
    expect(outcomes.existing).toBeGreaterThan(25);
    expect(outcomes.fresh).toBeGreaterThan(25);
  });

  it('S11: arbitrary unicode strings as the whole header or as the sid value never throw and never open a session', async () => {
    const stringArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: 'binary-ascii', maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(
        stringArb,
        fc.constantFrom('', 'sid=', 'sid=x; ', ' sid = '),
        async (text, prefix) => {
          await expectModel(prefix + text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('S32: the issued value is found wherever it is, unless an earlier sid cookie precedes it', async () => {
    const existingBefore = outcomes.existing;
    await fc.assert(
      fc.asyncProperty(
        headerArb(),
        headerArb(),
        fc.constantFrom('; ', ';', ' ;\t'),
        async (before, after, separator) => {
          await expectModel(`${before}${separator}sid=${valueA}${separator}${after}`);
        },
      ),
      { numRuns: 300 },
    );
    expect(outcomes.existing - existingBefore).toBeGreaterThan(50);
  });

  it('S33: thousands of cookies with hostile names never throw, and the model still holds', async () => {
    const before = { ...outcomes };
    const manyArb = fc.tuple(
      fc.integer({ min: 1_000, max: 5_000 }),
      fc.array(fc.tuple(nameArb, valueArb()), { minLength: 1, maxLength: 20 }),
      fc.option(fc.nat(), { nil: undefined }),
    );
    await fc.assert(
      fc.asyncProperty(manyArb, async ([count, palette, insertAt]) => {
        const pairs = Array.from({ length: count }, (_, i) => {
          const [name, value] = palette[i % palette.length] as [string, string];
          return `${name}=${value}`;
        });
        if (insertAt !== undefined) pairs.splice(insertAt % (count + 1), 0, `sid=${valueB}`);
        await expectModel(pairs.join('; '));
      }),
      { numRuns: 25 },
    );
    expect(outcomes.existing - before.existing).toBeGreaterThan(0);
    expect(outcomes.fresh - before.fresh).toBeGreaterThan(0);
  });

  describe('S27: mutated signed values are never accepted', () => {
    const signer = () => new IdSigner([encoder.encode(SECRET)], PURPOSE);

    async function expectRefused(value: string): Promise<void> {
      expect(value).not.toBe(valueA);
      expect(await signer().verify(value)).toBeUndefined();
      const result = await visit(`sid=${value}`);
      expect(result.isNew).toBe(true);
      expect(result.x).toBeUndefined();
      expect(result.calls).toEqual({ load: 0, write: 0, touch: 0, delete: 0 });
    }

    it('S27: the real signer accepts the issued value (control)', async () => {
      expect(await signer().verify(valueA)).toEqual({ id: valueA.slice(0, 43), secretIndex: 0 });
      expect((await visit(`sid=${valueA}`)).x).toBe(1);
    });

    it('S27: one character replaced at any position is refused, with zero store calls', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 86 }), inertChar, async (position, c) => {
          fc.pre(valueA[position] !== c);
          await expectRefused(valueA.slice(0, position) + c + valueA.slice(position + 1));
        }),
        { numRuns: 400 },
      );
    });

    it('S27: several characters replaced are refused', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 86 }), fc.constantFrom(...ALPHABET, '.')), {
            minLength: 1,
            maxLength: 10,
          }),
          async (edits) => {
            let value = valueA;
            for (const [position, c] of edits)
              value = value.slice(0, position) + c + value.slice(position + 1);
            fc.pre(value !== valueA);
            await expectRefused(value);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('S27: truncated values are refused, with zero store calls', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 87 }),
          fc.integer({ min: 0, max: 87 }),
          async (start, end) => {
            // Any proper substring: cut at the front, the back, or both.
            fc.pre(start > 0 || end < 87);
            await expectRefused(valueA.slice(start, Math.max(start, end)));
          },
        ),
        { numRuns: 300 },
      );
    });

    it('S27: values with anything appended or prepended are refused by the signer; the header model holds', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 50 }),
          fc.boolean(),
          async (extra, append) => {
            const value = append ? valueA + extra : extra + valueA;
            expect(await signer().verify(value)).toBeUndefined();
            // In a header, `;` ends the value and space or tab around it is trimmed, so
            // `sid=<value>; x` is legitimately the issued cookie: compare with the model.
            await expectModel(`sid=${value}`);
          },
        ),
        { numRuns: 400 },
      );
    });

    it('S27: appended characters that are part of the value are always refused, with zero store calls', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(inertChar, { minLength: 1, maxLength: 50 }), async (chars) => {
          await expectRefused(valueA + chars.join(''));
        }),
        { numRuns: 300 },
      );
    });

    it('S27: the id re-signed with another random secret is refused, with zero store calls', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 64 }), async (secret) => {
          const forged = await new IdSigner([new Uint8Array(secret)], PURPOSE).sign(
            valueA.slice(0, 43),
          );
          expect(forged.slice(0, 44)).toBe(valueA.slice(0, 44));
          await expectRefused(forged);
        }),
        { numRuns: 200 },
      );
    });

    it('S27: the id signed with the real secret for another purpose is refused, with zero store calls', async () => {
      const purposeArb = fc
        .string({ unit: 'binary', minLength: 1, maxLength: 40 })
        .filter((p) => !p.includes('\u0000') && p !== PURPOSE);
      await fc.assert(
        fc.asyncProperty(purposeArb, async (purpose) => {
          const other = await new IdSigner([encoder.encode(SECRET)], purpose).sign(
            valueA.slice(0, 43),
          );
          await expectRefused(other);
        }),
        { numRuns: 200 },
      );
    });

    it('S27: random 87-character base64url values with a dot at 43 are refused, with zero store calls', async () => {
      await fc.assert(
        fc.asyncProperty(base64urlString(43), base64urlString(43), async (id, mac) => {
          await expectRefused(`${id}.${mac}`);
        }),
        { numRuns: 500 },
      );
    });

    it('S27: the issued id with a random MAC, or a random id with the issued MAC, is refused', async () => {
      await fc.assert(
        fc.asyncProperty(base64urlString(43), fc.boolean(), async (random, keepId) => {
          const value = keepId
            ? `${valueA.slice(0, 43)}.${random}`
            : `${random}.${valueA.slice(44)}`;
          fc.pre(value !== valueA);
          await expectRefused(value);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('S30: hostile stored data', () => {
  const clock = createTestClock();
  let inner: MemoryStore;
  let sessions: Manager;
  let cookie: string;
  let storeKey: string;
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  beforeAll(async () => {
    inner = memoryStore({ now: clock.now });
    sessions = createSessionManager({ store: inner, secrets: SECRET, now: clock.now });
    const session = sessions.open(null);
    await session.set('x', 1);
    const { setCookie } = await sessions.commit(session);
    cookie = (setCookie as string).split(';')[0] as string;
    const id = cookie.slice('sid='.length, 'sid='.length + 43);
    storeKey = `sess:${createHash('sha256').update(id).digest('base64url')}`;
    expect(await inner.load(storeKey)).toBeDefined();
  });

  /** Replaces the record's fields through the store API, as a compromised or shared store could. */
  async function plant(fields: Record<string, string>): Promise<void> {
    const record = (await inner.load(storeKey)) as SessionRecord;
    const outcome = await inner.write(
      storeKey,
      {
        meta: record.meta,
        set: fields,
        delete: Object.keys(record.fields).filter((f) => !(f in fields)),
      },
      { mode: 'update', expiresAt: clock.now() + 3_600_000 },
    );
    expect(outcome).toBe('ok');
  }

  function expectPrototypesClean(): void {
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.getPrototypeOf(Object.prototype)).toBeNull();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  }

  /** Every object in `value` has an ordinary prototype and no own `__proto__` key. */
  function expectOrdinary(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const proto = Object.getPrototypeOf(value);
    expect(proto === Object.prototype || proto === Array.prototype).toBe(true);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    // A `polluted` key may be the data's own; it must never be inherited.
    if (!Object.hasOwn(value, 'polluted'))
      expect((value as Record<string, unknown>).polluted).toBeUndefined();
    for (const child of Object.values(value)) expectOrdinary(child);
  }

  async function read(key: string): Promise<unknown> {
    const session = sessions.open(cookie);
    const value = await session.get(key);
    expect(await session.isNew()).toBe(false);
    return value;
  }

  it('S30: a stored "__proto__" key does not pollute Object.prototype and is dropped', async () => {
    await plant({ 'd:x': '{"__proto__":{"polluted":true},"ok":1}' });
    const value = await read('x');
    expect(value).toEqual({ ok: 1 });
    expectOrdinary(value);
    expectPrototypesClean();
  });

  it('S30: nested and array "__proto__" keys are dropped too', async () => {
    await plant({
      'd:x': '{"a":{"b":{"__proto__":{"polluted":true},"c":2}}}',
      'd:y': '[{"__proto__":{"polluted":true}},{"__proto__":null}]',
    });
    const x = await read('x');
    const y = await read('y');
    expect(x).toEqual({ a: { b: { c: 2 } } });
    expect(y).toEqual([{}, {}]);
    expectOrdinary(x);
    expectOrdinary(y);
    expectPrototypesClean();
  });

  it('S30: "constructor" and "prototype" keys stay plain data', async () => {
    await plant({
      'd:x':
        '{"constructor":{"prototype":{"polluted":true}},"prototype":{"polluted":true},"__proto__":{"constructor":1}}',
    });
    const value = (await read('x')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.constructor).toEqual({ prototype: { polluted: true } });
    // Beside them, the one key that could swap a prototype later (Object.assign) is gone.
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expectPrototypesClean();
    expect({}.constructor).toBe(Object);
  });

  it('S30: the string "__proto__" as a value is kept (only keys are dropped)', async () => {
    await plant({ 'd:x': '"__proto__"', 'd:y': '{"k":"__proto__","__proto__":"x"}' });
    expect(await read('x')).toBe('__proto__');
    const y = (await read('y')) as Record<string, unknown>;
    expect(y).toEqual({ k: '__proto__' });
    expect(Object.keys(y)).toEqual(['k']);
    expect(Object.hasOwn(y, '__proto__')).toBe(false);
  });

  it('S30: a "__proto__" session key read through get(), keys() and all() pollutes nothing', async () => {
    await plant({
      'd:__proto__': '{"polluted":true}',
      'd:constructor': '{"polluted":true}',
      'd:x': '1',
    });
    const session = sessions.open(cookie);
    expect(await session.get('__proto__')).toEqual({ polluted: true });
    expect((await session.keys()).sort()).toEqual(['__proto__', 'constructor', 'x']);
    const all = await session.all();
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect((all as Record<string, unknown>).polluted).toBeUndefined();
    expect((all as Record<string, unknown>).x).toBe(1);
    await sessions.commit(session);
    expectPrototypesClean();
  });

  it('S30: stored text is parsed as data, never executed', async () => {
    await plant({
      'd:x':
        '{"toJSON":"function(){throw 1}","valueOf":"() => globalThis.polluted = 1","__proto__":{"toString":"() => 1"}}',
    });
    const value = (await read('x')) as Record<string, unknown>;
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(typeof value.toString).toBe('function'); // Object.prototype's, not a planted one
    expect(typeof value.toJSON).toBe('string');
    expect(typeof value.valueOf).toBe('string');
    expect((globalThis as Record<string, unknown>).polluted).toBeUndefined();
    expectPrototypesClean();
  });

  it('S30: a JSON-escaped "__proto__" key does not pollute Object.prototype', async () => {
    await plant({ 'd:x': String.raw`{"\u005f_proto__":{"polluted":true}}` });
    const value = (await read('x')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual([]);
    expectPrototypesClean();
  });

  // Regression: the reviver once ran only for a literal `"__proto__"`, so an escaped key
  // (`"\u005f_proto__"`) came back as an own `__proto__` property, which `Object.assign` or a
  // deep merge in the application would turn into a swapped or polluted prototype.
  it('S30: a JSON-escaped "__proto__" key is dropped like a plain one', async () => {
    for (const text of [
      String.raw`{"\u005f_proto__":{"polluted":true}}`,
      String.raw`{"__pr\u006fto__":{"polluted":true}}`,
    ]) {
      await plant({ 'd:x': text });
      const value = await read('x');
      expect(Object.hasOwn(value as object, '__proto__')).toBe(false);
      expect((Object.assign({}, value) as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('S30: arbitrary JSON with hostile keys at any depth never pollutes a prototype', async () => {
    const keyArb = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'polluted',
        'toString',
        'hasOwnProperty',
      ),
      fc.string({ maxLength: 6 }),
    );
    const leafArb = fc.oneof(
      fc.constantFrom('true', 'false', 'null', '0', '-1.5e3', '"__proto__"', '"x"'),
      fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)),
    );
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leafArb,
        fc
          .array(fc.tuple(keyArb, tie('node')), { maxLength: 5 })
          .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
        fc.array(tie('node'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
      ),
    }));
    let hostileKeys = 0;
    await fc.assert(
      fc.asyncProperty(node, async (text) => {
        if (text.includes('"__proto__":')) hostileKeys++;
        await plant({ 'd:x': text });
        const value = await read('x');
        expectOrdinary(value);
        expectPrototypesClean();
      }),
      { numRuns: 300 },
    );
    expect(hostileKeys).toBeGreaterThan(20);
  });
});
