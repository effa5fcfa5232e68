import { type RedactedError, redactError } from '@fetch-session/core/store-kit';

/** A redacted object error, with the runtime's advice on retrying kept. */
export interface RedactedObjectError extends RedactedError {
  /** Set by the runtime when the call may be retried (a transient fault). */
  readonly retryable?: boolean;
  /** Set by the runtime when the object is overloaded: retrying makes it worse. */
  readonly overloaded?: boolean;
}

/**
 * A redacted copy of an error from a Durable Object call (S24: an RPC error carries the
 * object's own message, which may quote what it was given). Workers marks transient faults
 * (`Durable Object reset because its code was updated`, a storage error) with `retryable`, and
 * an overloaded object with `overloaded`; these booleans are kept, the message is not.
 */
export function redactObjectError(error: unknown): RedactedObjectError {
  const redacted: { retryable?: boolean; overloaded?: boolean } & RedactedError =
    redactError(error);
  if (typeof error === 'object' && error !== null) {
    const { retryable, overloaded } = error as { retryable?: unknown; overloaded?: unknown };
    if (typeof retryable === 'boolean') redacted.retryable = retryable;
    if (typeof overloaded === 'boolean') redacted.overloaded = overloaded;
  }
  return redacted;
}
