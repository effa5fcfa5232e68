/**
 * The Upstash REST transport: `EVALSHA` / `EVAL` through an `@upstash/redis` client (one HTTP
 * request each, or one entry of an auto-pipelined batch).
 * @module
 */
import type { RedisTransport } from '@fetch-session/redis-core';
import type { UpstashClient } from './options.js';

export function upstashTransport(redis: UpstashClient): RedisTransport {
  return {
    evalsha: (sha, keys, args) =>
      redis.evalsha<string[], unknown>(sha, [...keys], [...args]).catch(unwrapPipelineError),
    eval: (script, keys, args) =>
      redis.eval<string[], unknown>(script, [...keys], [...args]).catch(unwrapPipelineError),
  };
}

const PIPELINED = 'Command failed: ';

/**
 * An auto-pipelined command's error reads `Command failed: WRONGTYPE …`; without the prefix,
 * Redis's error word leads, as in a single command's error, and survives redaction. The
 * client's error stays as `cause`.
 */
function unwrapPipelineError(error: unknown): never {
  if (error instanceof Error && error.message.startsWith(PIPELINED)) {
    const unwrapped = new Error(error.message.slice(PIPELINED.length), { cause: error });
    unwrapped.name = error.name;
    throw unwrapped;
  }
  throw error;
}
