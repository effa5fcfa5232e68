/**
 * Redaction of errors that may quote session data. Client libraries put the failed command in
 * their messages (`UpstashError`: "…, command was: [\"hset\",\"sess:…\",…]"; a SQL driver's
 * "Key (id)=(…) already exists"), and loggers print an error's `cause`. So what a store error
 * carries as `cause` is a copy that keeps only what is safe to print: the error's name, its
 * `code` (`ECONNRESET`, a SQLSTATE), and a leading Redis-style error word (`NOSCRIPT`,
 * `MOVED`, `CROSSSLOT`). The original stays reachable as a non-enumerable `original`, for
 * logs you control (S24).
 * @module
 */

const REDACTED = Symbol.for('fetch-session.redacted');

/** An error whose message was redacted; `original` is the error as thrown. */
export interface RedactedError extends Error {
  readonly code?: string;
  /** The original error (non-enumerable: default loggers do not print it). */
  readonly original: unknown;
}

/**
 * A printable copy of `error` without its message's content (see the module comment).
 *
 * @example
 * ```ts
 * try { await client.eval(script, keys, args); }
 * catch (error) { throw new SessionStoreError('redis', 'write', { cause: redactError(error) }); }
 * ```
 */
export function redactError(error: unknown): RedactedError {
  if (isRedacted(error)) return error;
  const name = error instanceof Error ? error.name : typeof error;
  const code = errorCode(error);
  const word = error instanceof Error ? leadingErrorWord(error.message) : undefined;
  const parts = [word, 'details redacted'].filter(Boolean).join(': ');
  const redacted = new Error(code === undefined ? parts : `${parts} (${code})`) as Error & {
    code?: string;
  };
  redacted.name = name;
  if (code !== undefined) redacted.code = code;
  Object.defineProperty(redacted, 'original', { value: error, enumerable: false });
  Object.defineProperty(redacted, REDACTED, { value: true, enumerable: false });
  // The original's stack starts with its message: keep only the frames.
  if (error instanceof Error && typeof error.stack === 'string') {
    const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
    redacted.stack = [`${name}: ${redacted.message}`, ...frames].join('\n');
  }
  return redacted as RedactedError;
}

/** Whether `error` came from {@link redactError}. */
export function isRedacted(error: unknown): error is RedactedError {
  return typeof error === 'object' && error !== null && REDACTED in error;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** `NOSCRIPT`, `MOVED`, `WRONGTYPE`…: an upper-case first word is an error kind, not data. */
function leadingErrorWord(message: string): string | undefined {
  return /^([A-Z][A-Z_]{2,30})(?=\s|$)/.exec(message)?.[1];
}
