import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSessionManager, type Session, type SessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession } from '@fetch-session/node';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { holdResponseUntil } from '../src/hold-response.js';
import { exchange, type ParsedConnection, parseResponses, rawGet } from './raw-http.js';

// Issue 10.1: a held response must look sent to everything that inspects it, or Express's
// error handling takes the "headers not sent" path on a response that is already streaming.

const secrets = 'hold-response-test-secret-0123456789abcdef';
const streamed = 'streamed-part;';
const closers: Array<() => Promise<void>> = [];
const uncaught: unknown[] = [];
// Settles (rejects) at the first uncaught exception, so a crash ends the test at once instead
// of leaving it waiting for a connection nobody will close.
let crashed: Promise<never>;
let crash: (error: unknown) => void = () => {};
const recordUncaught = (error: unknown): void => {
  uncaught.push(error);
  crash(error);
};

beforeEach(() => {
  uncaught.length = 0;
  crashed = new Promise<never>((_resolve, reject) => {
    crash = reject;
  });
  crashed.catch(() => {});
  process.on('uncaughtException', recordUncaught);
  process.on('unhandledRejection', recordUncaught);
});
afterEach(async () => {
  process.off('uncaughtException', recordUncaught);
  process.off('unhandledRejection', recordUncaught);
  await Promise.all(closers.splice(0).map((close) => close()));
});

type SessionUse = 'untouched' | 'read' | 'written';
type Failure = 'throws' | 'calls next(err)';
type ErrorHandling =
  | "Express's final handler"
  | 'an app error handler that ends a started response';

/** The route under test: streams a chunk, then fails; `useSession` first, unless untouched. */
function failingRoute(use: SessionUse | 'no adapter', failure: Failure): RequestHandler {
  const fail = (res: express.Response, next: express.NextFunction): void => {
    res.write(streamed);
    if (failure === 'throws') throw new Error('route failed after streaming');
    next(new Error('route failed after streaming'));
  };
  // The untouched route is synchronous, as in the report: the commit is still pending when
  // Express handles the error, and done by the time the request's end is seen.
  if (use === 'untouched' || use === 'no adapter') return (_req, res, next) => fail(res, next);
  return async (req, res, next) => {
    const session = getSession(req);
    if (use === 'read') await session.get('user');
    else await session.set('user', 'ada');
    fail(res, next);
  };
}

/** Express's documented pattern for a custom handler: finish what was started, else a page. */
const endStartedResponse: ErrorRequestHandler = (_error, _req, res, _next) => {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(500).send('error page');
};

async function serve(
  use: SessionUse | 'no adapter',
  failure: Failure,
  handling: ErrorHandling,
): Promise<{ port: number; cookie: string }> {
  const app = express();
  app.set('env', 'test'); // keeps the final handler from logging the expected error
  if (use !== 'no adapter')
    app.use(expressSession(createSessionManager({ store: memoryStore(), secrets })));
  app.get('/login', async (req, res) => {
    await getSession(req).set('user', 'grace');
    res.send('in');
  });
  app.get('/failing', failingRoute(use, failure));
  app.get('/second', (_req, res) => {
    res.send('second');
  });
  if (handling !== "Express's final handler") app.use(endStartedResponse);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  const { port } = server.address() as AddressInfo;
  if (use === 'no adapter') return { port, cookie: '' };
  const login = await fetch(`http://127.0.0.1:${port}/login`);
  await login.text();
  const cookie = login.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  return { port, cookie };
}

/** Two pipelined requests on one connection: the failing route, then a plain one. */
async function runPipelined(
  use: SessionUse | 'no adapter',
  failure: Failure,
  handling: ErrorHandling,
): Promise<ParsedConnection> {
  const { port, cookie } = await serve(use, failure, handling);
  const withCookie: Record<string, string> = use === 'read' ? { Cookie: cookie } : {};
  const bytes = await Promise.race([
    exchange(port, rawGet('/failing', withCookie) + rawGet('/second', { Connection: 'close' })),
    crashed,
  ]);
  // A fresh connection after the exchange: the server is still up and answers normally,
  // and whatever the held response did after the client saw the close has happened by now.
  const health = await fetch(`http://127.0.0.1:${port}/second`);
  expect(await health.text()).toBe('second');
  return parseResponses(bytes);
}

const summary = (parsed: ParsedConnection) => ({
  garbage: parsed.garbage,
  complete: parsed.responses.filter((r) => r.complete).map((r) => [r.status, r.body]),
});

describe('H1: a held response looks sent to Express (issue 10.1)', () => {
  const uses: SessionUse[] = ['untouched', 'read', 'written'];
  const failures: Failure[] = ['throws', 'calls next(err)'];

  for (const failure of failures)
    for (const use of uses) {
      it(`H1: a route that writes then ${failure}, session ${use}, Express's final handler: the connection is dropped as without the adapter, nothing leaks, the process stays up`, async () => {
        const handling: ErrorHandling = "Express's final handler";
        const parsed = await runPipelined(use, failure, handling);
        const plain = await runPipelined('no adapter', failure, handling);

        expect(uncaught).toEqual([]);
        // Headers were "sent", so Express cannot answer: it drops the connection. No complete
        // response (no error page framed by a Content-Length shorter than the bytes replayed)
        // and nothing a client would parse as the next response.
        expect(summary(parsed)).toEqual({ garbage: undefined, complete: [] });
        expect(summary(parsed)).toEqual(summary(plain));
        for (const partial of parsed.responses) {
          expect(partial.status).toBe(200);
          expect(streamed.startsWith(partial.body)).toBe(true);
        }
      });

      it(`H1: a route that writes then ${failure}, session ${use}, ${'an app error handler that ends a started response'}: the connection carries exactly the two responses sent`, async () => {
        const handling: ErrorHandling = 'an app error handler that ends a started response';
        const parsed = await runPipelined(use, failure, handling);
        const plain = await runPipelined('no adapter', failure, handling);

        expect(uncaught).toEqual([]);
        expect(summary(parsed)).toEqual({
          garbage: undefined,
          complete: [
            [200, streamed],
            [200, 'second'],
          ],
        });
        expect(summary(parsed)).toEqual(summary(plain));
        const [first] = parsed.responses;
        // The session still went out with the streamed response's headers.
        const sessionCookies = first?.headers.get('set-cookie') ?? [];
        expect(sessionCookies.length).toBe(use === 'written' ? 1 : 0);
        if (use !== 'untouched') expect(first?.headers.get('vary')).toEqual(['Cookie']);
      });
    }
});

type Probe = {
  headersSent: boolean;
  refused: Record<string, { code: unknown; message: unknown } | 'allowed'>;
  writableEnded: boolean;
};

/** Streams, then tries everything a sent response refuses, then ends: what did it see? */
function probeAfterFirstWrite(res: ServerResponse): Probe {
  res.statusCode = 201;
  res.setHeader('content-type', 'text/plain');
  res.write('a');
  const attempts: Record<string, () => unknown> = {
    setHeader: () => res.setHeader('content-length', '1'),
    appendHeader: () => res.appendHeader('x-late', '1'),
    removeHeader: () => res.removeHeader('content-type'),
    setHeaders: () => res.setHeaders(new Headers({ 'x-late': '1' })),
    writeHead: () => res.writeHead(500, { 'x-late': '1' }),
  };
  const refused: Probe['refused'] = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      attempt();
      refused[name] = 'allowed';
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      refused[name] = { code, message };
    }
  }
  const headersSent = res.headersSent;
  res.statusCode = 500; // too late: node sent 201 at the first write
  res.end('b');
  return { headersSent, refused, writableEnded: res.writableEnded };
}

async function listenNode(listener: RequestListener): Promise<number> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((done) => server.close(() => done())));
  return (server.address() as AddressInfo).port;
}

/** The options form, as `attachSession` uses it once it hands the hook's headers on. */
function lockedSession(sessions: SessionManager): RequestHandler {
  return (req, res, next) => {
    const session = sessions.open(req.headers.cookie);
    sessions.preload(session).then(() => {
      (req as unknown as { session: typeof session }).session = session;
      holdResponseUntil(res, {
        beforeHeaders: async (headers) => {
          const commit = await sessions.commit(session);
          if (commit.vary) headers.appendHeader('vary', 'Cookie');
          if (commit.setCookie !== undefined) headers.appendHeader('set-cookie', commit.setCookie);
        },
        onHookError: () => res.destroy(),
      });
      next();
    }, next);
  };
}

describe('H1: a held response refuses what a sent one refuses (options form)', () => {
  it("H1: after the first write, header changes throw node's own ERR_HTTP_HEADERS_SENT and a late status is ignored, exactly as without the hold", async () => {
    const probes: Probe[] = [];
    const plainPort = await listenNode((_req, res) => {
      probes.push(probeAfterFirstWrite(res));
    });
    const heldPort = await listenNode((_req, res) => {
      holdResponseUntil(res, {
        beforeHeaders: async (headers) => {
          await new Promise((resolve) => setImmediate(resolve));
          headers.appendHeader('x-session', 'committed');
        },
        onHookError: () => res.destroy(),
      });
      probes.push(probeAfterFirstWrite(res));
    });

    const plain = await fetch(`http://127.0.0.1:${plainPort}/`);
    const held = await fetch(`http://127.0.0.1:${heldPort}/`);
    const [plainProbe, heldProbe] = probes;

    expect(heldProbe).toEqual(plainProbe);
    expect(heldProbe?.headersSent).toBe(true);
    expect(heldProbe?.writableEnded).toBe(true);
    for (const outcome of Object.values(heldProbe?.refused ?? {}))
      expect(outcome).toMatchObject({ code: 'ERR_HTTP_HEADERS_SENT' });
    for (const response of [plain, held]) {
      expect(response.status).toBe(201);
      expect(response.headers.get('x-late')).toBeNull();
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(await response.text()).toBe('ab');
    }
    expect(held.headers.get('x-session')).toBe('committed');
    expect(uncaught).toEqual([]);
  });

  it('H1: an error handler that ignores headersSent and sends a page after the route streamed cannot frame the stream with its own Content-Length', async () => {
    const handlerSawThrow: unknown[] = [];
    const careless: ErrorRequestHandler = (_error, _req, res, next) => {
      try {
        res.status(500).send('error page');
      } catch (error) {
        handlerSawThrow.push((error as NodeJS.ErrnoException).code);
        next(error);
      }
    };
    const run = async (withSession: boolean): Promise<ParsedConnection> => {
      const app = express();
      app.set('env', 'test');
      const sessions = createSessionManager({ store: memoryStore(), secrets });
      if (withSession) app.use(lockedSession(sessions));
      app.get('/failing', async (req, res) => {
        if (withSession) await (req as unknown as { session: Session }).session.set('user', 'ada');
        res.write(streamed);
        throw new Error('route failed after streaming');
      });
      app.get('/second', (_req, res) => {
        res.send('second');
      });
      app.use(careless);
      const port = await listenNode(app);
      const bytes = await Promise.race([
        exchange(port, rawGet('/failing') + rawGet('/second', { Connection: 'close' })),
        crashed,
      ]);
      return parseResponses(bytes);
    };

    const held = await run(true);
    const plain = await run(false);

    expect(uncaught).toEqual([]);
    expect(handlerSawThrow).toEqual(['ERR_HTTP_HEADERS_SENT', 'ERR_HTTP_HEADERS_SENT']);
    expect(summary(held)).toEqual({ garbage: undefined, complete: [] });
    expect(summary(held)).toEqual(summary(plain));
  });

  it('H1: a write wrapper installed over the hold (compression, say) keeps wrapping after the replay', async () => {
    const port = await listenNode((_req, res) => {
      holdResponseUntil(res, {
        beforeHeaders: async () => {},
        onHookError: () => res.destroy(),
      });
      const inner = res.write;
      res.write = function upperCase(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
        return (inner as (...args: unknown[]) => boolean).call(
          this,
          String(chunk).toUpperCase(),
          ...rest,
        );
      } as ServerResponse['write'];
      res.write('held,');
      setImmediate(() => {
        res.write('after replay');
        res.end();
      });
    });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('HELD,AFTER REPLAY');
  });

  it('two holds on one response (two session managers) each commit before anything is sent', async () => {
    const order: string[] = [];
    const port = await listenNode((_req, res) => {
      for (const name of ['first', 'second']) {
        holdResponseUntil(res, {
          beforeHeaders: async (headers) => {
            await new Promise((resolve) => setImmediate(resolve));
            order.push(`${name} sees headersSent=${res.headersSent}`);
            headers.appendHeader('set-cookie', `${name}=1`);
          },
          onHookError: () => res.destroy(),
        });
      }
      res.end('body');
    });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('body');
    expect(response.headers.getSetCookie().sort()).toEqual(['first=1', 'second=1']);
    // The hold installed last sees the first call; the other one sees the replay.
    expect(order).toEqual(['second sees headersSent=true', 'first sees headersSent=true']);
  });

  it("a held response answers headersSent and refuses header changes from node's own state, with no wrapper of its own", async () => {
    // Closures per response on `headersSent` or the header methods give each response a hidden
    // class of its own; V8 then spends more time in garbage collection than the request takes.
    const seen: Array<Record<string, unknown>> = [];
    const port = await listenNode((_req, res) => {
      holdResponseUntil(res, {
        beforeHeaders: async (headers) => headers.setHeader('x-hook', 'ran'),
        onHookError: () => res.destroy(),
      });
      res.write('a');
      let refused: unknown;
      try {
        res.setHeader('x-late', '1');
      } catch (error) {
        refused = (error as { code?: string }).code;
      }
      seen.push({
        headersSent: res.headersSent,
        refused,
        ownProperties: [
          'headersSent',
          'setHeader',
          'appendHeader',
          'removeHeader',
          'setHeaders',
        ].filter((name) => Object.hasOwn(res, name)),
      });
      res.end('b');
    });
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('ab');
    expect(response.headers.get('x-hook')).toBe('ran');
    expect(response.headers.get('x-late')).toBeNull();
    expect(seen).toEqual([
      { headersSent: true, refused: 'ERR_HTTP_HEADERS_SENT', ownProperties: [] },
    ]);
  });
});
