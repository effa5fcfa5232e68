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
type HeaderMethod = 'setHeader' | 'appendHeader' | 'removeHeader' | 'setHeaders';
type Held = { readonly method: HeldMethod; readonly args: unknown[] };
type AnyMethod = (this: ServerResponse, ...args: unknown[]) => unknown;

const heldMethods: readonly HeldMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];
const headerMethods: readonly HeaderMethod[] = [
  'setHeader',
  'appendHeader',
  'removeHeader',
  'setHeaders',
];

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
export function holdResponseUntil(res: ServerResponse, options: HoldResponseOptions): void;
/**
 * The first form, kept for callers that set headers on `res` inside the hook: header methods
 * stay unlocked while held (the hook needs them), everything else is as in the options form.
 * @deprecated pass `{ beforeHeaders, onHookError }` and set headers through the hook's argument.
 */
export function holdResponseUntil(
  res: ServerResponse,
  beforeHeaders: () => Promise<void>,
  onHookError: (error: unknown) => void,
): void;
export function holdResponseUntil(
  res: ServerResponse,
  hookOrOptions: HoldResponseOptions | (() => Promise<void>),
  legacyOnHookError?: (error: unknown) => void,
): void {
  const lockHeaders = typeof hookOrOptions !== 'function';
  const { beforeHeaders, onHookError } = lockHeaders
    ? hookOrOptions
    : { beforeHeaders: hookOrOptions, onHookError: legacyOnHookError ?? rethrow };
  const target = res as unknown as Record<string, AnyMethod>;
  const original = Object.fromEntries(heldMethods.map((m) => [m, target[m]])) as Record<
    HeldMethod,
    AnyMethod
  >;
  const beforeLock = Object.fromEntries(headerMethods.map((m) => [m, target[m]])) as Record<
    HeaderMethod,
    AnyMethod
  >;
  const guards = new Map<HeaderMethod, AnyMethod>();
  const holders = new Map<HeldMethod, AnyMethod>();
  let held: Held[] | undefined;
  let released = false;
  let status: { code: number; message: string } | undefined;

  // Node's own header methods call one another (appendHeader calls setHeader), so the hook's
  // calls lift the guards for their duration instead of calling around one of them.
  let hookCalling = false;
  const asHook =
    <Args extends unknown[]>(method: HeaderMethod) =>
    (...args: Args): void => {
      hookCalling = true;
      try {
        beforeLock[method].apply(res, args);
      } finally {
        hookCalling = false;
      }
    };
  const headers: ResponseHeaders = {
    getHeader: (name) => res.getHeader(name),
    getHeaderNames: () => res.getHeaderNames(),
    hasHeader: (name) => res.hasHeader(name),
    setHeader: asHook('setHeader'),
    appendHeader: asHook('appendHeader'),
    removeHeader: asHook('removeHeader'),
  };

  // Put back only what is still ours: a wrapper installed over ours after us (compression,
  // say) must keep wrapping, and ours then passes calls straight through. Put back by
  // assignment, never `delete`: a deleted property turns the response into a dictionary-mode
  // object, and every later property access on it is slow.
  const release = (): void => {
    released = true;
    for (const [method, holder] of holders)
      if (target[method] === holder) target[method] = original[method];
    for (const [method, guard] of guards)
      if (target[method] === guard) target[method] = beforeLock[method];
    holdsActive(res, -1);
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

  const lookSent = (): void => {
    status = { code: res.statusCode, message: res.statusMessage };
    holdsActive(res, +1);
    if (!lockHeaders) return;
    for (const method of headerMethods) {
      if (typeof beforeLock[method] !== 'function') continue;
      const guard: AnyMethod = function refuseAfterSent(this: ServerResponse, ...args) {
        if (hookCalling) return beforeLock[method].apply(this, args);
        return refuseLikeNode(nodeMethod(method), args);
      };
      guards.set(method, guard);
      target[method] = guard;
    }
  };

  for (const method of heldMethods) {
    const holder: AnyMethod = function holdUntilCommitted(...args) {
      if (released) return original[method].apply(res, args);
      if (method === 'writeHead' && held !== undefined)
        return refuseLikeNode(nodeMethod('writeHead'), args);
      if (held === undefined) {
        held = [];
        const calls = held;
        lookSent();
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
    holders.set(method, holder);
    target[method] = holder;
  }
}

/** How many holds of a response are between their first held call and their replay. */
const ACTIVE_HOLDS = Symbol('fetch-session.activeHolds');
type CountedResponse = ServerResponse & { [ACTIVE_HOLDS]?: number };

/**
 * `headersSent` of a response with a hold installed: true while any of its holds is active,
 * else node's own answer. One function for every response, installed once per response: a
 * closure per response as an accessor gave each response a hidden class of its own, and the
 * garbage collector then spent about 35 µs per request on them (node:http went from 17,000 to
 * 7,000 requests/s; bench/peers/profile.js).
 */
function headersSentWhileHeld(this: CountedResponse): boolean {
  if ((this[ACTIVE_HOLDS] ?? 0) > 0) return true;
  return Reflect.get(ServerResponse.prototype, 'headersSent', this) as boolean;
}

function holdsActive(res: CountedResponse, change: 1 | -1): void {
  if (res[ACTIVE_HOLDS] === undefined) {
    Object.defineProperty(res, 'headersSent', { configurable: true, get: headersSentWhileHeld });
  }
  res[ACTIVE_HOLDS] = (res[ACTIVE_HOLDS] ?? 0) + change;
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

function nodeMethod(name: HeldMethod | HeaderMethod): AnyMethod {
  return (ServerResponse.prototype as unknown as Record<string, AnyMethod>)[name] as AnyMethod;
}

function rethrow(error: unknown): never {
  throw error;
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
