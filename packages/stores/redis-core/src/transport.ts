/**
 * What the shared store needs from a Redis client: run a script by SHA, or by source. One
 * implementation per client (Upstash REST, node-redis, ioredis); the store does the rest,
 * including the `NOSCRIPT` fallback, so every client behaves the same.
 * @module
 */

import { SessionConfigError } from '@fetch-session/core/errors';
import { redactError } from '@fetch-session/core/store-kit';
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * A client's script calls. Each resolves to the script's reply as the client decodes it
 * (strings, numbers, arrays), and rejects with the client's own error, which the store
 * redacts: client errors may quote the command, keys and payload included. A transport that
 * finds the client unusable (closed, in the wrong reply mode) throws a `SessionConfigError`.
 */
export interface RedisTransport {
  /** `EVALSHA sha numkeys ...keys ...args`. */
  evalsha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /** `EVAL script numkeys ...keys ...args`. */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/** A Lua script and its SHA-1, computed once. */
export interface RedisScript {
  readonly source: string;
  readonly sha: string;
}

/** Prepares a script: its SHA-1 for `EVALSHA`. */
export function redisScript(source: string): RedisScript {
  return { source, sha: bytesToHex(sha1(utf8ToBytes(source))) };
}

/**
 * Runs a script in one round trip once Redis has it: `EVALSHA`, then `EVAL` once if Redis
 * answers `NOSCRIPT` (a restarted or flushed server, a failed-over replica, a node a slot just
 * moved to). A client error becomes its redacted copy (`redactError`); a `SessionConfigError`
 * from the transport names no data and passes as it is.
 */
export async function runScript(
  transport: RedisTransport,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await transport.evalsha(script.sha, keys, args);
  } catch (error) {
    if (!isNoScript(error)) throw redactOwn(error);
  }
  try {
    return await transport.eval(script.source, keys, args);
  } catch (error) {
    throw redactOwn(error);
  }
}

/** A `SessionConfigError` (a closed client, a client in the wrong mode) names no data. */
function redactOwn(error: unknown): unknown {
  return error instanceof SessionConfigError ? error : redactError(error);
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.includes('NOSCRIPT');
}
