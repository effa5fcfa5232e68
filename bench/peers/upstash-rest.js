/**
 * A small server speaking the Upstash Redis REST protocol in front of a real redis-server, so
 * the benchmark drives `@fetch-session/upstash` through the real `@upstash/redis` client. The
 * logic of packages/stores/upstash/test/support/upstash-rest-server.ts in plain JavaScript,
 * without its fault-injection knobs:
 *
 * - `POST /` one command, `POST /pipeline` a list (not atomic), `POST /multi-exec` a list in
 *   `MULTI`/`EXEC`. Bearer token auth; `401 {"error":"Unauthorized"}` otherwise.
 * - `Upstash-Encoding: base64`: every string result is base64 of its bytes, except a top-level
 *   `OK`. RESP2 replies: integers as numbers, nil as `null`, arrays as arrays.
 * - Redis errors relayed unchanged (`NOSCRIPT ...` makes the client fall back to `EVAL`).
 * - `Upstash-Sync-Token: <random hex>` on every authorised response.
 *
 * Counts the HTTP requests it answers (`requestCount`), which is what a store's round trips are.
 *
 * Run as a process: `node bench/peers/upstash-rest.js <redis port> <token>` reports `{ url }`
 * over IPC (or prints it) and exits when its parent disconnects.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Redis as IORedis } from 'ioredis';

/**
 * @param {{ redisPort: number, token?: string }} options
 * @returns {Promise<{ url: string, token: string, readonly requestCount: number,
 *   close: () => Promise<void> }>}
 */
export async function startUpstashRestServer({
  redisPort,
  token = randomBytes(16).toString('hex'),
}) {
  const backend = new IORedis({
    host: '127.0.0.1',
    port: redisPort,
    protocol: 2,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 5_000,
    retryStrategy: () => 50,
  });
  backend.on('error', () => {});
  await backend.connect();
  let requestCount = 0;

  async function handle(request, response) {
    const body = await readBody(request);
    requestCount++;
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const base64 = header(request, 'upstash-encoding')?.toLowerCase() === 'base64';
    if (header(request, 'authorization') !== `Bearer ${token}`) {
      return send(response, 401, { error: 'Unauthorized' });
    }
    if (request.method !== 'POST') return send(response, 405, { error: 'Method Not Allowed' });
    let commands;
    try {
      const parsed = JSON.parse(body);
      commands = path === '/' ? [toCommand(parsed)] : parsed.map(toCommand);
    } catch {
      commands = undefined;
    }
    if (commands === undefined || commands.some((command) => command.length === 0)) {
      return send(response, 400, { error: 'ERR failed to parse command' }, true);
    }
    try {
      if (path === '/') {
        const [reply] = await run(commands);
        const status = 'error' in reply ? 400 : 200;
        return send(response, status, encodeReply(reply, base64), true);
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
      return send(response, 503, { error: `Service Unavailable: ${errorText(error)}` });
    }
  }

  /** Runs commands one by one (in order on one connection, not atomic). */
  async function run(commands) {
    const settled = await Promise.allSettled(
      commands.map(([name, ...args]) => backend.callBuffer(name, ...args)),
    );
    return settled.map((outcome) => {
      if (outcome.status === 'fulfilled') return { result: outcome.value };
      if (isReplyError(outcome.reason)) return { error: outcome.reason.message };
      throw new Error(errorText(outcome.reason));
    });
  }

  async function runTransaction(commands) {
    const transaction = backend.multi();
    for (const [name, ...args] of commands) transaction.callBuffer(name, ...args);
    let results;
    try {
      results = await transaction.exec();
    } catch (error) {
      if (isReplyError(error)) return { error: error.message };
      throw error;
    }
    if (results === null) return { error: 'EXECABORT Transaction discarded' };
    return results.map(([error, result]) =>
      error === null ? { result } : { error: error.message },
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (!response.headersSent) send(response, 500, { error: errorText(error) });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    get requestCount() {
      return requestCount;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      backend.disconnect();
    },
  };
}

function send(response, status, body, authorised = false) {
  const headers = { 'content-type': 'application/json' };
  if (authorised) headers['upstash-sync-token'] = randomBytes(8).toString('hex');
  response.writeHead(status, headers);
  response.end(JSON.stringify(body));
}

/** JSON scalars as the client sends them (numbers as numbers) become Redis arguments. */
function toCommand(value) {
  if (!Array.isArray(value)) throw new TypeError('a command is an array');
  return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function encodeReply(reply, base64) {
  return 'error' in reply ? reply : { result: encodeValue(reply.result, base64, true) };
}

function encodeValue(value, base64, topLevel) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8');
    // The client keeps a top-level "OK" as is and base64-decodes every other string.
    if (!base64 || (topLevel && text === 'OK')) return text;
    return value.toString('base64');
  }
  if (Array.isArray(value)) return value.map((item) => encodeValue(item, base64, false));
  if (value instanceof Error) return null;
  return encodeValue(Buffer.from(String(value)), base64, topLevel);
}

function isReplyError(error) {
  return error instanceof Error && error.name === 'ReplyError';
}

function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}

function header(request, name) {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

// As a process: serve until the parent goes away.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [redisPort, token] = process.argv.slice(2);
  const server = await startUpstashRestServer({ redisPort: Number(redisPort), token });
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.send === undefined) console.log(JSON.stringify({ url: server.url }));
  else {
    process.on('disconnect', stop);
    process.send({ url: server.url });
  }
}
