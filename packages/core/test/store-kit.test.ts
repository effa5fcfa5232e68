// The store kit (@fetch-session/core/store-kit): every guard a store relies on, each test
// failing if its guard is removed.

import { inspect } from 'node:util';
import {
  checkExpiresAt,
  decodeMeta,
  encodeMeta,
  epochSeconds,
  isExpired,
  isRedacted,
  metaObject,
  millisecondsUntil,
  parseFields,
  parseMeta,
  redactError,
  StoredDataError,
  secondsUntil,
} from '@fetch-session/core/store-kit';
import { describe, expect, it } from 'vitest';

const META = { createdAt: 1_000, lastSeenAt: 2_000, permanent: false };

function storedDataError(run: () => unknown): StoredDataError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoredDataError);
  return caught as StoredDataError;
}

describe('store kit: metadata', () => {
  it('encodes only the known properties, in a fixed order, and decodes them back', () => {
    const meta = { lastSeenAt: 2, permanent: true, createdAt: 1, userId: 'u', device: 'd' };
    const text = encodeMeta({ ...meta, extra: 'dropped' } as typeof meta);
    expect(text).toBe('{"createdAt":1,"lastSeenAt":2,"permanent":true,"userId":"u","device":"d"}');
    expect(decodeMeta(text)).toEqual(meta);
    expect(metaObject(META)).toEqual(META);
    expect(Object.keys(metaObject(META))).toEqual(['createdAt', 'lastSeenAt', 'permanent']);
  });

  it('S30: non-finite timestamps are refused (1e999 parses to Infinity)', () => {
    storedDataError(() => decodeMeta('{"createdAt":1e999,"lastSeenAt":1,"permanent":false}'));
    storedDataError(() => decodeMeta('{"createdAt":1,"lastSeenAt":-1e999,"permanent":false}'));
    storedDataError(() => parseMeta({ ...META, createdAt: Number.NaN }));
    storedDataError(() => parseMeta({ ...META, lastSeenAt: '2000' }));
    expect(parseMeta(META)).toEqual(META);
  });

  it('S30: a mistyped permanent, userId or device is refused, not coerced', () => {
    storedDataError(() => parseMeta({ ...META, permanent: 'false' }));
    storedDataError(() => parseMeta({ ...META, userId: 42 }));
    storedDataError(() => parseMeta({ ...META, userId: null }));
    storedDataError(() => parseMeta({ ...META, device: {} }));
    expect(parseMeta({ ...META, userId: 'u1' })).toEqual({ ...META, userId: 'u1' });
  });

  it('S30: not JSON or not an object is refused, and the message never quotes the value', () => {
    const secret = 'card-4111111111111111';
    expect(storedDataError(() => decodeMeta(`{${secret}`)).message).not.toContain(secret);
    storedDataError(() => decodeMeta('[]'));
    storedDataError(() => decodeMeta('null'));
    const mistyped = storedDataError(() => parseMeta({ ...META, userId: [secret] }));
    expect(mistyped.message).not.toContain(secret);
  });

  it('unknown properties are dropped, and a __proto__ key does not reach the result', () => {
    const parsed = parseMeta(
      JSON.parse(
        '{"createdAt":1,"lastSeenAt":2,"permanent":false,"__proto__":{"admin":true},"x":1}',
      ),
    );
    expect(parsed).toEqual({ createdAt: 1, lastSeenAt: 2, permanent: false });
    expect((parsed as unknown as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe('store kit: fields', () => {
  it('S30: a field named __proto__ stays an own property and never becomes the prototype', () => {
    const fields = parseFields(JSON.parse('{"__proto__":"{\\"admin\\":true}","d:a":"1"}'));
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(fields, '__proto__')?.value).toBe('{"admin":true}');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__', 'd:a']);
  });

  it('S30: fields must be an object of strings', () => {
    storedDataError(() => parseFields({ 'd:a': 1 }));
    storedDataError(() => parseFields({ 'd:a': '1', 'd:b': null }));
    storedDataError(() => parseFields(['1']));
    storedDataError(() => parseFields('{"d:a":"1"}'));
    storedDataError(() => parseFields(null));
    expect(parseFields({ 'd:a': '1' })).toEqual({ 'd:a': '1' });
  });

  it('returns a copy: changing it does not change the input', () => {
    const input = { 'd:a': '1' };
    const fields = parseFields(input);
    fields['d:a'] = '2';
    expect(input['d:a']).toBe('1');
  });
});

describe('store kit: expiry', () => {
  it('checkExpiresAt accepts epoch ms and Infinity, refuses NaN, -Infinity and non-numbers', () => {
    expect(() => checkExpiresAt(0)).not.toThrow();
    expect(() => checkExpiresAt(Number.POSITIVE_INFINITY)).not.toThrow();
    for (const bad of [Number.NaN, Number.NEGATIVE_INFINITY, '1000', undefined, null]) {
      expect(() => checkExpiresAt(bad)).toThrow(RangeError);
    }
  });

  it('Infinity ("never") stays Infinity; NaN never becomes a TTL', () => {
    expect(millisecondsUntil(Number.POSITIVE_INFINITY, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(secondsUntil(Number.POSITIVE_INFINITY, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(epochSeconds(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(() => millisecondsUntil(Number.NaN, 5)).toThrow(RangeError);
    expect(() => secondsUntil(Number.NaN, 5)).toThrow(RangeError);
    expect(() => epochSeconds(Number.NaN)).toThrow(RangeError);
  });

  it('a TTL is never 0 or negative (some backends read that as "no expiry"), and rounds up', () => {
    expect(millisecondsUntil(1_000, 2_000)).toBe(1);
    expect(millisecondsUntil(1_000.2, 0)).toBe(1_001);
    expect(millisecondsUntil(1_000, 0, 50)).toBe(1_000);
    expect(millisecondsUntil(10, 0, 50)).toBe(50);
    expect(secondsUntil(1_001, 0)).toBe(2);
    expect(secondsUntil(0, 5_000)).toBe(1);
    expect(secondsUntil(10_000, 0, 60)).toBe(60);
    expect(epochSeconds(1_001)).toBe(2);
    expect(epochSeconds(2_000)).toBe(2);
  });

  it('isExpired: gone at expiresAt, not before', () => {
    expect(isExpired(1_000, 999)).toBe(false);
    expect(isExpired(1_000, 1_000)).toBe(true);
    expect(isExpired(Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('store kit: redaction (S24)', () => {
  const PAYLOAD = 'card-4111111111111111-secret';

  function chatty(message: string, code?: unknown): Error {
    const error = new Error(message);
    error.name = 'UpstashError';
    if (code !== undefined) Object.assign(error, { code });
    return error;
  }

  it('S24: keeps the name, the code and a leading error word; drops the payload', () => {
    const original = chatty(
      `WRONGTYPE Operation against a key, command was: ["hset","sess:k","${PAYLOAD}"]`,
      'ERR_X1',
    );
    const redacted = redactError(original);
    expect(redacted.name).toBe('UpstashError');
    expect(redacted.code).toBe('ERR_X1');
    expect(redacted.message).toBe('WRONGTYPE: details redacted (ERR_X1)');
    expect(redacted.message).not.toContain(PAYLOAD);
    expect(redacted.stack ?? '').not.toContain(PAYLOAD);
    expect(redacted.stack ?? '').toMatch(/^UpstashError: WRONGTYPE: details redacted/);
    expect(inspect(redacted, { depth: 10 })).not.toContain(PAYLOAD);
  });

  it('S24: a lower-case first word or a code that could carry data is not kept', () => {
    expect(redactError(chatty(`${PAYLOAD} failed`)).message).toBe('details redacted');
    expect(redactError(chatty('GETX sess:abc')).message).toBe('GETX: details redacted');
    const badCode = redactError(chatty('boom', `code with ${PAYLOAD}`));
    expect(badCode.code).toBeUndefined();
    expect(badCode.message).not.toContain(PAYLOAD);
    expect(redactError(chatty('boom', 42)).code).toBeUndefined();
  });

  it('S24: the original stays reachable but is non-enumerable, so loggers do not print it', () => {
    const original = chatty(`ERR ${PAYLOAD}`);
    const redacted = redactError(original);
    expect(redacted.original).toBe(original);
    expect(Object.keys(redacted)).not.toContain('original');
    expect(Object.getOwnPropertyDescriptor(redacted, 'original')?.enumerable).toBe(false);
    expect(JSON.stringify(redacted)).not.toContain(PAYLOAD);
    expect(inspect({ wrapped: redacted }, { depth: 10 })).not.toContain(PAYLOAD);
  });

  it('S24: thrown non-errors are redacted too; redacting twice changes nothing', () => {
    const fromString = redactError(`HSET sess:k ${PAYLOAD}`);
    expect(fromString.name).toBe('string');
    expect(fromString.message).toBe('details redacted');
    expect(fromString.original).toBe(`HSET sess:k ${PAYLOAD}`);
    expect(isRedacted(fromString)).toBe(true);
    expect(redactError(fromString)).toBe(fromString);
    expect(isRedacted(new Error('plain'))).toBe(false);
  });
});
