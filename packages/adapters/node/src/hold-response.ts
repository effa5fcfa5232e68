import type { ServerResponse } from 'node:http';

type Held = {
  readonly method: 'writeHead' | 'write' | 'end' | 'flushHeaders';
  readonly args: unknown[];
};

/**
 * Runs `beforeHeaders` before anything of the response leaves: the first call to `writeHead`,
 * `write`, `end` or `flushHeaders` is held, and so is every call after it, until the async
 * hook settles; then they are replayed in order. The hook can still set headers.
 *
 * Why: a session commit is asynchronous (store write, signing) but Node writes headers
 * synchronously. express-session solved this with `on-headers`, whose handling of
 * `writeHead(status, headersArray)` dropped headers (CVE-2025-7339): here `Set-Cookie`
 * headers passed to `writeHead` are appended to the ones already set, never replacing them.
 *
 * `onHookError` runs instead of the replay when the hook fails (headers are still unsent).
 */
export function holdResponseUntil(
  res: ServerResponse,
  beforeHeaders: () => Promise<void>,
  onHookError: (error: unknown) => void,
): void {
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  };
  let held: Held[] | undefined;

  const restore = (): void => {
    res.writeHead = original.writeHead;
    res.write = original.write;
    res.end = original.end;
    res.flushHeaders = original.flushHeaders;
  };

  const replay = (calls: Held[]): void => {
    restore();
    for (const call of calls) {
      if (call.method === 'writeHead') replayWriteHead(res, original.writeHead, call.args);
      else (original[call.method] as (...args: unknown[]) => unknown).apply(res, call.args);
    }
  };

  const hold =
    (method: Held['method']) =>
    (...args: unknown[]): never => {
      if (held === undefined) {
        held = [];
        const calls = held;
        beforeHeaders().then(
          () => replay(calls),
          (error: unknown) => {
            restore();
            onHookError(error);
          },
        );
      }
      held.push({ method, args });
      // write() reports "flushed" (no backpressure for held chunks); the others return res.
      return (method === 'write' ? true : res) as never;
    };

  res.writeHead = hold('writeHead');
  res.write = hold('write');
  res.end = hold('end');
  res.flushHeaders = hold('flushHeaders');
}

/** Replays `writeHead`, moving any `Set-Cookie` in its headers onto the response by appending. */
function replayWriteHead(
  res: ServerResponse,
  writeHead: ServerResponse['writeHead'],
  args: unknown[],
): void {
  const [status, second, third] = args;
  const headers = typeof second === 'string' ? third : second;
  const kept = moveSetCookie(res, headers);
  const call = writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  if (typeof second === 'string') call.call(res, status, second, kept);
  else call.call(res, status, kept);
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
