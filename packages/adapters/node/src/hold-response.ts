import { ServerResponse } from 'node:http';

/**
 * The header methods a hook uses while the response is held. The response itself refuses
 * header changes by then, as a sent response does; this is the hook's own way in.
 */
export interface ResponseHeaders {
  getHeader(name: string): ReturnType<ServerResponse['getHeader']>;
  getHeaderNames(): string[];
  hasHeader(name: string): boolean;
  setHeader(name: string, value: number | string | readonly string[]): void;
  appendHeader(name: string, value: string | readonly string[]): void;
  removeHeader(name: string): void;
}

/** What `holdResponseUntil` runs, and what it runs when that fails. */
export interface HoldResponseOptions {
  /** Runs once, at the response's first write; sets the session's headers through `headers`. */
  beforeHeaders: (headers: ResponseHeaders) => Promise<void>;
  /** Runs instead of the replay when `beforeHeaders` fails; nothing has been sent yet. */
  onHookError: (error: unknown) => void;
}

type HeldMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type Held = { readonly method: HeldMethod; readonly args: unknown[] };
type AnyMethod = (this: ServerResponse, ...args: unknown[]) => unknown;
/** Node's record of a written head: the serialized header block, `null` until then. */
type NodeResponse = ServerResponse & { _header: string | null };

const heldMethods: readonly HeldMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/**
 * What `_header` holds while a response is held. Node's own `headersSent`, `setHeader`,
 * `appendHeader`, `removeHeader`, `setHeaders` and `writeHead` all check `_header`, so they
 * answer and refuse exactly as for a sent response, with node's own errors and no wrapper on
 * the response. Never sent: every write is held while it is set, and it is cleared first. Only
 * code that calls node's prototype methods around the response's own could send it, and then
 * the client gets a well-formed 500 and a closed connection, not a head without the session.
 */
const HELD_HEAD =
  'HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Runs `beforeHeaders` before anything of the response leaves: the first call to `writeHead`,
 * `write`, `end` or `flushHeaders` is held, and so is every call after it, until the async
 * hook settles; then they are replayed in order.
 *
 * Why hold, and why a held response must look sent (issue 10.1): a session commit is
 * asynchronous (store write, Web Crypto signing) but node writes headers synchronously.
 * express-session does not hold: its cookie is signed synchronously with `node:crypto`, set
 * from an `on-headers` hook on `writeHead`, and only the final `end` waits for the store save.
 * Our cookie is known only once the commit is done, so the bytes wait instead; but code that
 * inspects the response must see what plain node would show it. Otherwise a route that writes
 * then fails sends Express's final handler down the "headers not sent" path: its error page is
 * framed by a Content-Length shorter than the bytes replayed (the rest reads as the next
 * response on a keep-alive connection), or, once the replay happened, its `removeHeader`
 * throws ERR_HTTP_HEADERS_SENT in a callback and the process exits. So from the first held
 * call on, until the replay:
 * - `headersSent` is true, and after a held `end`, `writableEnded` and `finished` are too;
 * - `setHeader`, `appendHeader`, `removeHeader`, `setHeaders` and a second `writeHead`
 *   throw node's own ERR_HTTP_HEADERS_SENT (the hook uses the `headers` it is handed);
 *   node's own methods do this, from its `_header` state: nothing is wrapped but the four
 *   methods that write (a closure per response on `headersSent` or the header methods gave
 *   each response its own hidden class, and garbage collection then cost more than the
 *   request; bench/peers/profile.js);
 * - the status is the one at the first call, as node would have sent it.
 *
 * `Set-Cookie` headers passed to `writeHead` are appended to the ones already set, never
 * replacing them (the `on-headers` bug behind CVE-2025-7339 dropped some of these).
 *
 * @example
 * ```ts
 * holdResponseUntil(res, {
 *   beforeHeaders: async (headers) => headers.appendHeader('set-cookie', await commit()),
 *   onHookError: () => res.destroy(),
 * });
 * ```
 */
export function holdResponseUntil(res: ServerResponse, options: HoldResponseOptions): void {
  const { beforeHeaders, onHookError } = options;
  const target = res as unknown as Record<HeldMethod, AnyMethod>;
  const node = res as NodeResponse;
  const original = {
    writeHead: target.writeHead,
    write: target.write,
    end: target.end,
    flushHeaders: target.flushHeaders,
  };
  let held: Held[] | undefined;
  let released = false;
  let status: { code: number; message: string } | undefined;

  /** Runs a header method of the hook's with node's head state as it is before the send. */
  const open =
    <Args extends unknown[]>(call: (...args: Args) => void) =>
    (...args: Args): void => {
      const head = node._header;
      node._header = null;
      try {
        call(...args);
      } finally {
        node._header = head;
      }
    };
  const headers: ResponseHeaders = {
    getHeader: (name) => res.getHeader(name),
    getHeaderNames: () => res.getHeaderNames(),
    hasHeader: (name) => res.hasHeader(name),
    setHeader: open((name: string, value: number | string | readonly string[]) => {
      res.setHeader(name, value);
    }),
    appendHeader: open((name: string, value: string | readonly string[]) => {
      res.appendHeader(name, value);
    }),
    removeHeader: open((name: string) => res.removeHeader(name)),
  };

  // Put back only what is still ours: a wrapper installed over ours after us (compression,
  // say) must keep wrapping, and ours then passes calls straight through.
  const release = (): void => {
    released = true;
    for (const method of heldMethods) {
      if (target[method] === holders[method]) target[method] = original[method];
    }
    if (node._header === HELD_HEAD) node._header = null;
    res.finished = false;
    if (status !== undefined) {
      res.statusCode = status.code;
      res.statusMessage = status.message;
    }
  };

  const replay = (calls: Held[]): void => {
    release();
    try {
      for (const call of calls) {
        if (call.method === 'writeHead') replayWriteHead(res, original.writeHead, call.args);
        else original[call.method].apply(res, call.args);
      }
    } catch (error) {
      // A replayed call node refuses (say, an invalid header value given to writeHead) would
      // have thrown into the route; now there is no caller left to throw to.
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const hold = (method: HeldMethod, args: unknown[]): unknown => {
    if (released) return original[method].apply(res, args);
    if (method === 'writeHead' && held !== undefined) {
      return refuseLikeNode(nodeMethod('writeHead'), args);
    }
    if (held === undefined) {
      held = [];
      const calls = held;
      status = { code: res.statusCode, message: res.statusMessage };
      if (node._header === null) node._header = HELD_HEAD;
      new Promise<void>((resolve) => resolve(beforeHeaders(headers))).then(
        () => replay(calls),
        (error: unknown) => {
          release();
          onHookError(error);
        },
      );
    }
    held.push({ method, args });
    if (method === 'end') res.finished = true;
    // write() reports "flushed" (no backpressure for held chunks); the others return res.
    return method === 'write' ? true : method === 'flushHeaders' ? undefined : res;
  };
  const holders: Record<HeldMethod, AnyMethod> = {
    writeHead: (...args) => hold('writeHead', args),
    write: (...args) => hold('write', args),
    end: (...args) => hold('end', args),
    flushHeaders: (...args) => hold('flushHeaders', args),
  };
  for (const method of heldMethods) target[method] = holders[method];
}

/**
 * Throws exactly what node throws for this call on a response whose headers are sent: its own
 * ERR_HTTP_HEADERS_SENT, after its own argument checks, by running node's method on a
 * stand-in that has sent headers (never on the response itself).
 */
function refuseLikeNode(method: AnyMethod, args: unknown[]): never {
  const sent = { _header: 'sent' } as unknown as ServerResponse;
  method.apply(sent, args);
  throw Object.assign(new Error('Cannot set headers after they are sent to the client'), {
    code: 'ERR_HTTP_HEADERS_SENT',
  });
}

function nodeMethod(name: HeldMethod): AnyMethod {
  return (ServerResponse.prototype as unknown as Record<string, AnyMethod>)[name] as AnyMethod;
}

/** Replays `writeHead`, moving any `Set-Cookie` in its headers onto the response by appending. */
function replayWriteHead(res: ServerResponse, writeHead: AnyMethod, args: unknown[]): void {
  const [status, second, third] = args;
  const headers = typeof second === 'string' ? third : second;
  const kept = moveSetCookie(res, headers);
  if (typeof second === 'string') writeHead.call(res, status, second, kept);
  else writeHead.call(res, status, kept);
}

function moveSetCookie(res: ServerResponse, headers: unknown): unknown {
  if (headers === undefined || headers === null) return headers;
  if (Array.isArray(headers)) {
    // Either [[name, value], ...] or a flat [name, value, name, value, ...] list.
    const pairs: Array<[string, unknown]> = Array.isArray(headers[0])
      ? (headers as Array<[string, unknown]>)
      : Array.from({ length: headers.length / 2 }, (_, i) => [
          String(headers[2 * i]),
          headers[2 * i + 1],
        ]);
    const rest: Array<[string, unknown]> = [];
    for (const [name, value] of pairs) {
      if (name.toLowerCase() === 'set-cookie')
        res.appendHeader('set-cookie', value as string | string[]);
      else rest.push([name, value]);
    }
    return rest.flat();
  }
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (name.toLowerCase() === 'set-cookie')
      res.appendHeader('set-cookie', value as string | string[]);
    else rest[name] = value;
  }
  return rest;
}
