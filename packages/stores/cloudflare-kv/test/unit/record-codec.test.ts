import { StoredDataError } from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, type StoredSession } from '../../src/record-codec.js';

const session: StoredSession = {
  meta: { createdAt: 1, lastSeenAt: 2, permanent: true, userId: 'u1' },
  fields: { 'd:a': '1', 'd:empty': '', 'f:notice': '"hi"' },
  expiresAt: 3,
};

describe('the stored JSON value', () => {
  it('round-trips meta, fields and expiresAt in one versioned JSON document', () => {
    const text = encodeRecord(session);
    expect(JSON.parse(text)).toMatchObject({ v: 1, expiresAt: 3 });
    expect(decodeRecord(text)).toEqual(session);
    const { userId: _, ...withoutUser } = session.meta;
    expect(decodeRecord(encodeRecord({ ...session, meta: withoutUser })).meta).toEqual(withoutUser);
    const never = { ...session, expiresAt: Number.POSITIVE_INFINITY };
    expect(decodeRecord(encodeRecord(never))).toEqual(never);
    const withDevice = { ...session.meta, device: 'Firefox on Linux' };
    expect(decodeRecord(encodeRecord({ ...session, meta: withDevice })).meta).toEqual(withDevice);
  });

  it('S30: a __proto__ field stays an own field and pollutes nothing', () => {
    const text =
      '{"v":1,"expiresAt":3,"meta":{"createdAt":1,"lastSeenAt":2,"permanent":false},"fields":{"__proto__":"{\\"polluted\\":true}"}}';
    const decoded = decodeRecord(text);
    expect(Object.hasOwn(decoded.fields, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(decoded.fields)).toBe(Object.prototype);
  });

  it('S24: refuses malformed values with errors that quote none of the value', () => {
    const secret = 'secret-session-data';
    for (const text of [
      `not json ${secret}`,
      `{"v":2,"x":"${secret}"}`,
      `{"v":1,"expiresAt":3,"meta":{"createdAt":1,"lastSeenAt":2,"permanent":false},"fields":{"d:a":1}}`,
      `{"v":1,"expiresAt":3,"meta":{"createdAt":"${secret}"},"fields":{}}`,
      `{"v":1,"expiresAt":3,"meta":{"createdAt":1,"lastSeenAt":2,"permanent":false,"device":7},"fields":{}}`,
      `["${secret}"]`,
      // Non-finite timestamps (JSON reads 1e999 as Infinity): the store kit's rule, as elsewhere.
      `{"v":1,"expiresAt":3,"meta":{"createdAt":1e999,"lastSeenAt":2,"permanent":false},"fields":{}}`,
      `{"v":1,"expiresAt":3,"meta":{"createdAt":1,"lastSeenAt":-1e999,"permanent":false},"fields":{}}`,
      'null',
    ]) {
      expect(() => decodeRecord(text)).toThrow(StoredDataError);
      try {
        decodeRecord(text);
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });
});
