/**
 * Typed errors thrown by fetch-session. Each class carries a stable `code`, on the class and on
 * every instance, so callers can `switch` on it instead of matching message text.
 *
 * No message ever contains a raw session ID or session data (SECURITY.md S24): where an error
 * needs to say which session, it uses a short fingerprint of the hashed store key.
 *
 * @example
 * ```ts
 * import { SessionStoreError } from '@fetch-session/core/errors';
 *
 * try {
 *   await session.get('user');
 * } catch (error) {
 *   if (error instanceof SessionStoreError) return new Response('Try again', { status: 503 });
 *   throw error;
 * }
 * ```
 * @module
 */

/** Every code an error of this package can carry. */
export type SessionErrorCode =
  | 'ERR_SESSION_CONFIG'
  | 'ERR_SESSION_STORE'
  | 'ERR_SESSION_STATE'
  | 'ERR_SESSION_SERIALIZE'
  | 'ERR_SESSION_COOKIE_TOO_LARGE'
  | 'ERR_SESSION_NOT_SUPPORTED';

/**
 * Base class of every error fetch-session throws on purpose: for `instanceof` only, never
 * thrown itself, so it has no code of its own. Each concrete class carries its `code` on the
 * class (`SessionStoreError.code`) and on every instance. To handle them by code with type
 * narrowing, use {@link AnySessionError}.
 */
export abstract class SessionError extends Error {
  /** Stable, machine-readable code, the same as the class's static `code`. */
  abstract readonly code: SessionErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(`[fetch-session] ${message}`, options);
    // Each class sets its name explicitly: minifiers rename classes (`new.target.name` became
    // "m" in a Next.js production build).
    this.name = 'SessionError';
  }
}

/**
 * A configuration option is missing or invalid. Thrown at construction time, never per request.
 * `option` names the option, with a dotted path for nested ones (`cookie.sameSite`).
 */
export class SessionConfigError extends SessionError {
  override name: string = 'SessionConfigError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_CONFIG' = 'ERR_SESSION_CONFIG';
  override readonly code: 'ERR_SESSION_CONFIG' = 'ERR_SESSION_CONFIG';
  /** The option at fault, e.g. `secrets` or `cookie.domain`. */
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`invalid option \`${option}\`: ${problem}`);
    this.option = option;
  }
}

/** Which store operation failed. */
export type SessionStoreOperation = 'load' | 'write' | 'delete' | 'touch' | 'list';

/**
 * A store operation failed (network, service down, quota...). Loading fails closed with this
 * error: the request gets no session rather than an empty one that could overwrite real data
 * (SECURITY.md S29). Adapters answer it with 503.
 *
 * The message is redacted, and so is `cause` (what loggers print): a copy of the store's error
 * with only its name, `code` and leading error word, since SDK errors such as `UpstashError`
 * embed the whole command, session data included, in their message. The error as thrown is
 * the cause's non-enumerable `original`, for logs you control (S24).
 */
export class SessionStoreError extends SessionError {
  override name: string = 'SessionStoreError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_STORE' = 'ERR_SESSION_STORE';
  override readonly code: 'ERR_SESSION_STORE' = 'ERR_SESSION_STORE';
  /** The store's `name`. */
  readonly store: string;
  /** The operation that failed. */
  readonly operation: SessionStoreOperation;

  constructor(store: string, operation: SessionStoreOperation, options?: ErrorOptions) {
    super(`store "${store}" failed to ${operation} a session`, options);
    this.store = store;
    this.operation = operation;
  }
}

/** The session was used in a way its state does not allow, e.g. written after it was committed. */
export class SessionStateError extends SessionError {
  override name: string = 'SessionStateError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_STATE' = 'ERR_SESSION_STATE';
  override readonly code: 'ERR_SESSION_STATE' = 'ERR_SESSION_STATE';
}

/**
 * A write to a read-only session (`manager.open(input, { readOnly: true })`): for places that
 * may read the session but cannot send a cookie (a Next.js Server Component), so a change
 * that would be lost fails loudly instead. Its `code` is `ERR_SESSION_STATE`, like every
 * `SessionStateError`; `operation` names the refused method.
 *
 * @example
 * ```ts
 * const session = sessions.open(request, { readOnly: true });
 * await session.get('user'); // fine
 * await session.set('theme', 'dark'); // rejects with SessionReadOnlyError, operation 'set'
 * ```
 */
export class SessionReadOnlyError extends SessionStateError {
  override name: string = 'SessionReadOnlyError';
  /** The refused session method, such as `set`. */
  readonly operation: string;

  constructor(operation: string) {
    super(
      `session.${operation}() changes the session, but it was opened read-only ` +
        '(open(input, { readOnly: true })): change it where the response can carry a cookie',
    );
    this.operation = operation;
  }
}

/** A value could not be serialized for the store. The message names the key, never the value. */
export class SessionSerializationError extends SessionError {
  override name: string = 'SessionSerializationError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_SERIALIZE' = 'ERR_SESSION_SERIALIZE';
  override readonly code: 'ERR_SESSION_SERIALIZE' = 'ERR_SESSION_SERIALIZE';
  /** The top-level session key whose value failed. */
  readonly key: string;

  constructor(key: string, options?: ErrorOptions) {
    super(`the value of session key "${key}" cannot be serialized`, options);
    this.key = key;
  }
}

/**
 * A `Set-Cookie` would exceed the 4096 bytes browsers keep for `name=value` (SECURITY.md S26).
 * Refused loudly at write time rather than silently dropped by a browser or proxy.
 */
export class SessionCookieTooLargeError extends SessionError {
  override name: string = 'SessionCookieTooLargeError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_COOKIE_TOO_LARGE' = 'ERR_SESSION_COOKIE_TOO_LARGE';
  override readonly code: 'ERR_SESSION_COOKIE_TOO_LARGE' = 'ERR_SESSION_COOKIE_TOO_LARGE';
  /** The size in bytes of `name=value`. */
  readonly bytes: number;

  constructor(cookieName: string, bytes: number) {
    super(`cookie "${cookieName}" would be ${bytes} bytes; browsers keep at most 4096`);
    this.bytes = bytes;
  }
}

/** The configured store does not support the requested feature (e.g. per-user session lists). */
export class SessionNotSupportedError extends SessionError {
  override name: string = 'SessionNotSupportedError';
  /** Stable, machine-readable code. */
  static readonly code: 'ERR_SESSION_NOT_SUPPORTED' = 'ERR_SESSION_NOT_SUPPORTED';
  override readonly code: 'ERR_SESSION_NOT_SUPPORTED' = 'ERR_SESSION_NOT_SUPPORTED';
}

/**
 * Every error fetch-session throws, as a union discriminated on `code`: `switch (error.code)`
 * narrows to the class, with its own properties.
 *
 * @example
 * ```ts
 * import { type AnySessionError, isSessionError } from '@fetch-session/core/errors';
 *
 * function status(error: AnySessionError): number {
 *   switch (error.code) {
 *     case 'ERR_SESSION_STORE': return 503; // error.store, error.operation
 *     case 'ERR_SESSION_COOKIE_TOO_LARGE': return 500; // error.bytes
 *     default: return 500;
 *   }
 * }
 * ```
 */
export type AnySessionError =
  | SessionConfigError
  | SessionStoreError
  | SessionStateError
  | SessionSerializationError
  | SessionCookieTooLargeError
  | SessionNotSupportedError;

/** Whether `error` is one of this package's errors (an {@link AnySessionError}). */
export function isSessionError(error: unknown): error is AnySessionError {
  return error instanceof SessionError;
}

/**
 * Whether `error` is a {@link SessionStoreError}, also when it comes from another copy of this
 * package (bundlers can load a module more than once: Next.js does per route type), by code.
 */
export function isSessionStoreError(error: unknown): error is SessionStoreError {
  return (
    error instanceof SessionStoreError ||
    (error instanceof Error && (error as Partial<SessionError>).code === 'ERR_SESSION_STORE')
  );
}
