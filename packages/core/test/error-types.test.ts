// The error classes: one stable code per class, a union discriminated on it, and a base class
// that claims no code of its own.
import {
  type AnySessionError,
  isSessionError,
  SessionConfigError,
  SessionCookieTooLargeError,
  SessionError,
  type SessionErrorCode,
  SessionNotSupportedError,
  SessionReadOnlyError,
  SessionSerializationError,
  SessionStateError,
  SessionStoreError,
} from '@fetch-session/core/errors';
import { describe, expect, it } from 'vitest';

/** One instance of every concrete class. */
const errors: AnySessionError[] = [
  new SessionConfigError('secrets', 'is missing'),
  new SessionStoreError('memory', 'load'),
  new SessionStateError('committed twice'),
  new SessionSerializationError('cart'),
  new SessionCookieTooLargeError('sid', 5000),
  new SessionNotSupportedError('no index'),
];

/** Compiles only if `switch (error.code)` narrows each case to its class. */
function detail(error: AnySessionError): string {
  switch (error.code) {
    case 'ERR_SESSION_CONFIG':
      return error.option;
    case 'ERR_SESSION_STORE':
      return `${error.store}/${error.operation}`;
    case 'ERR_SESSION_STATE':
      return 'state';
    case 'ERR_SESSION_SERIALIZE':
      return error.key;
    case 'ERR_SESSION_COOKIE_TOO_LARGE':
      return String(error.bytes);
    case 'ERR_SESSION_NOT_SUPPORTED':
      return 'not supported';
    default: {
      const unreachable: never = error;
      return unreachable;
    }
  }
}

describe('error types', () => {
  it('each class has its own code, on the class and on every instance', () => {
    const codes = errors.map((error) => error.code);
    expect(new Set(codes).size).toBe(errors.length);
    for (const error of errors) {
      const cls = error.constructor as unknown as { code: SessionErrorCode };
      expect(error.code).toBe(cls.code);
      expect(error).toBeInstanceOf(SessionError);
      expect(isSessionError(error)).toBe(true);
    }
  });

  it('the union narrows on code', () => {
    expect(errors.map(detail)).toEqual([
      'secrets',
      'memory/load',
      'state',
      'cart',
      '5000',
      'not supported',
    ]);
  });

  it('the base class claims no code (it used to say ERR_SESSION_CONFIG)', () => {
    expect(Object.hasOwn(SessionError, 'code')).toBe(false);
    expect((SessionError as unknown as { code?: unknown }).code).toBeUndefined();
  });

  it('SessionReadOnlyError is a SessionStateError: same code, instanceof both', () => {
    const error = new SessionReadOnlyError('set');
    expect(error).toBeInstanceOf(SessionStateError);
    expect(error.code).toBe('ERR_SESSION_STATE');
    expect(SessionReadOnlyError.code).toBe('ERR_SESSION_STATE');
    expect(error.name).toBe('SessionReadOnlyError');
  });

  it('isSessionError is false for other errors', () => {
    expect(isSessionError(new Error('x'))).toBe(false);
    expect(isSessionError(Object.assign(new Error('x'), { code: 'ERR_SESSION_STORE' }))).toBe(
      false,
    );
    expect(isSessionError(undefined)).toBe(false);
  });
});
