/**
 * A small server speaking the Upstash Redis REST protocol (see UPSTASH-REST.md) in front of a
 * real redis-server, so tests drive the store through the real `@upstash/redis` client.
 *
 * - `POST /` one command, `POST /pipeline` a list (not atomic), `POST /multi-exec` a list in
 *   `MULTI`/`EXEC`. Bearer token auth; `401 {"error":"WRONGPASS invalid or missing auth
 *   token"}` otherwise (Upstash's documented text).
 * - `Upstash-Encoding: base64`: every string result is base64 of its bytes, except a top-level
 *   `OK` (the client keeps a top-level `OK` as is; inside arrays it decodes every string).
 * - RESP2 replies: integers as JSON numbers, nil as `null`, arrays as arrays, never objects.
 * - Redis errors relayed unchanged (`NOSCRIPT ...` makes the client fall back to `EVAL`):
 *   `400 {"error"}` for a single command or an aborted transaction, `{"error"}` entries in a
 *   pipeline. Redis unreachable or timing out: `503 {"error"}`.
 * - `Upstash-Sync-Token: <random hex>` on every authorised response.
 *
 * - Several connections to Redis (`connections`, 4 by default), requests taking them in turn:
 *   concurrent requests reach Redis in parallel, not serialised in arrival order.
 *
 * Knobs: fail the next N requests, add latency, and a log of every request.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis as IORedis } from 'ioredis';

/** How a request made to fail fails. */
export type FailureMode =
  /** The socket is destroyed before any answer (network failure; the client may retry). */
  | 'drop'
  /** `500` with an HTML body, as a proxy in front would answer. */
  | 'html-500'
  /** `503 {"error": ...}`, the REST API's answer when Redis is unreachable. */
  | 'json-503';

export interface RecordedRequest {
  /** `/`, `/pipeline` or `/multi-exec`. */
  readonly path: string;
  /** The commands, lower-case names, arguments as strings (one for `/`). */
  readonly commands: readonly (readonly string[])[];
  /** The `Upstash-Sync-Token` the client sent, if any. */
  readonly syncToken: string | undefined;
  /** Set when a knob made this request fail. */
  readonly failed?: FailureMode;
}

export interface UpstashRestServer {
  readonly url: string;
  readonly token: string;
  /** Every request received, oldest first (empty when `record` is off). */
  readonly requests: RecordedRequest[];
  /** How many HTTP requests it answered: a store's round trips. */
  readonly requestCount: number;
  /** Empties {@link requests}. */
  clearRequests(): void;
  /** Makes the next `count` requests fail (they are still recorded). */
  failNext(count: number, mode?: FailureMode): void;
  /** Delays every answer by `ms`, or by a random time up to `ms` with `jitter`. */
  setLatency(ms: number, options?: { jitter?: boolean }): void;
  /** A direct connection to the Redis behind, for inspection and fault injection. */
  readonly redis: IORedis;
  close(): Promise<void>;
}

export interface RestServerOptions {
  readonly redisPort: number;
  /** @default a random token */
  readonly token?: string;
  /** Answer 503 when Redis does not reply within this many ms. @default 5000 */
  readonly commandTimeout?: number;
  /** Connections to Redis; requests take them in turn. @default 4 */
  readonly connections?: number;
  /** Keep a log of every request (off for long benchmark runs: only `requestCount`). @default true */
  readonly record?: boolean;
}

type Reply = { result: unknown } | { error: string };

class Unavailable extends Error {}

export async function startUpstashRestServer(
  options: RestServerOptions,
): Promise<UpstashRestServer> {
  const token = options.token ?? randomBytes(16).toString('hex');
  const connect = (): IORedis =>
    new IORedis({
      host: '127.0.0.1',
      port: options.redisPort,
      protocol: 2,
      lazyConnect: true,
      enableOfflineQueue: false, // Redis down: fail now, as the REST API answers 5xx
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeout ?? 5_000,
      retryStrategy: () => 50,
    });
  // Several connections, each request on the next one, as Upstash's servers serve requests in
  // parallel: tests must not rely on requests reaching Redis in the order they were sent.
  const pool = Array.from({ length: options.connections ?? 4 }, connect);
  let turn = 0;
  const backend = (): IORedis => pool[turn++ % pool.length] as IORedis;
  const inspector = connect();
  // Connection errors surface per command as 503s; do not crash the test on the event.
  for (const client of [...pool, inspector]) client.on('error', () => {});
  await Promise.all([...pool, inspector].map((client) => client.connect()));

  const requests: RecordedRequest[] = [];
  const record = options.record ?? true;
  let requestCount = 0;
  let failures: { remaining: number; mode: FailureMode } = { remaining: 0, mode: 'drop' };
  let latency = { ms: 0, jitter: false };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const syncToken = header(request, 'upstash-sync-token');
    const base64 = header(request, 'upstash-encoding')?.toLowerCase() === 'base64';
    let commands: string[][] | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      commands = path === '/' ? [toCommand(parsed)] : (parsed as unknown[]).map(toCommand);
    } catch {
      commands = undefined;
    }
    const failed = failures.remaining > 0 ? failures.mode : undefined;
    if (failed !== undefined) failures.remaining--;
    requestCount++;
    if (record)
      requests.push({ path, commands: commands ?? [], syncToken, ...(failed && { failed }) });

    const wait = latency.jitter ? Math.random() * latency.ms : latency.ms;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    if (failed === 'drop') {
      request.socket.destroy();
      return;
    }
    if (failed === 'html-500') {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html><body>500 Internal Server Error</body></html>');
      return;
    }
    if (failed === 'json-503') return send(response, 503, { error: 'Service Unavailable' });
    if (header(request, 'authorization') !== `Bearer ${token}`) {
      // Upstash's documented answer to a missing or wrong token.
      return send(response, 401, { error: 'WRONGPASS invalid or missing auth token' });
    }
    if (request.method !== 'POST') return send(response, 405, { error: 'Method Not Allowed' });
    if (commands === undefined || commands.some((command) => command.length === 0)) {
      return send(response, 400, { error: 'ERR failed to parse command' }, true);
    }
    try {
      if (path === '/') {
        const [reply] = await run(commands);
        const status = reply !== undefined && 'error' in reply ? 400 : 200;
        return send(response, status, encodeReply(reply as Reply, base64), true);
      }
      if (path === '/pipeline') {
        const replies = await run(commands);
        return send(
          response,
          200,
          replies.map((reply) => encodeReply(reply, base64)),
          true,
        );
      }
      if (path === '/multi-exec') {
        const replies = await runTransaction(commands);
        if (!Array.isArray(replies)) return send(response, 400, replies, true);
        return send(
          response,
          200,
          replies.map((reply) => encodeReply(reply, base64)),
          true,
        );
      }
      return send(response, 404, { error: 'ERR unknown endpoint' }, true);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return send(response, 503, { error: `Service Unavailable: ${reason}` });
    }
  }

  /** Runs commands one by one (in order on one connection, not atomic). */
  async function run(commands: string[][]): Promise<Reply[]> {
    // One connection per request: a pipeline's commands stay in order, as on Upstash.
    const connection = backend();
    const settled = await Promise.allSettled(
      commands.map(([name, ...args]) => connection.callBuffer(rawName(name as string), ...args)),
    );
    return settled.map((outcome) => {
      if (outcome.status === 'fulfilled') return { result: outcome.value };
      if (isReplyError(outcome.reason)) return { error: outcome.reason.message };
      throw new Unavailable(errorText(outcome.reason));
    });
  }

  async function runTransaction(commands: string[][]): Promise<Reply[] | { error: string }> {
    const transaction = backend().multi();
    for (const [name, ...args] of commands)
      transaction.callBuffer(rawName(name as string), ...args);
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      if (isReplyError(error)) return { error: error.message }; // EXECABORT
      throw new Unavailable(errorText(error));
    }
    if (results === null) return { error: 'EXECABORT Transaction discarded' };
    return results.map(([error, result]) =>
      error === null ? { result } : { error: error.message },
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: errorText(error) });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    get requestCount() {
      return requestCount;
    },
    redis: inspector,
    clearRequests() {
      requests.length = 0;
    },
    failNext(count, mode = 'drop') {
      failures = { remaining: count, mode };
    },
    setLatency(ms, { jitter = false } = {}) {
      latency = { ms, jitter };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of pool) client.disconnect();
      inspector.disconnect();
    },
  };
}

function send(response: ServerResponse, status: number, body: unknown, authorised = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorised) headers['upstash-sync-token'] = randomBytes(8).toString('hex');
  response.writeHead(status, headers);
  response.end(JSON.stringify(body));
}

/**
 * The command name as ioredis must send it to get Redis's raw reply. ioredis turns the reply
 * of an `hgetall` it recognises (lower case: its own command table) into an object, which
 * would then be encoded as "[object Object]"; upper case reaches Redis the same and comes
 * back as the flat array Redis sent.
 */
function rawName(name: string): string {
  return name.toUpperCase();
}

/** JSON scalars as the client sends them (numbers as numbers) become Redis arguments. */
function toCommand(value: unknown): string[] {
  if (!Array.isArray(value)) throw new TypeError('a command is an array');
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function encodeReply(reply: Reply, base64: boolean): Reply {
  return 'error' in reply ? reply : { result: encodeValue(reply.result, base64, true) };
}

function encodeValue(value: unknown, base64: boolean, topLevel: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8');
    // The client keeps a top-level "OK" as is and base64-decodes every other string.
    if (!base64 || (topLevel && text === 'OK')) return text;
    return value.toString('base64');
  }
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, base64, false));
  if (value instanceof Error) return null; // RESP2 nested errors do not occur in our replies
  return encodeValue(Buffer.from(String(value)), base64, topLevel);
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
