/**
 * The test Worker: the D1 store runs here, inside workerd, against a real Miniflare D1
 * database. Bundled with esbuild by ../support/d1-worker.ts.
 *
 * `POST /store/<method>` with `{ args, now, table, checkSchema }` calls that method of a D1
 * store on `table` whose clock reads `now` (the test process's clock, so expiry can be tested
 * by moving it). Answers `{ result }` or `{ error }`. `POST /sql` runs one statement as is.
 */
import { d1Store } from '@fetch-session/sqlite';

interface Env {
  readonly DB: Parameters<typeof d1Store>[0]['database'];
}

interface Call {
  readonly args: unknown[];
  readonly now: number;
  readonly table?: string;
  readonly checkSchema?: boolean;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/sql') {
      const { text } = (await request.json()) as { text: string };
      const { results } = await env.DB.prepare(text).all();
      return Response.json({ result: results });
    }
    const method = /^\/store\/(\w+)$/.exec(url.pathname)?.[1];
    if (method === undefined) return new Response('not found', { status: 404 });
    const call = (await request.json()) as Call;
    try {
      // A store per request: its clock is this call's `now`, and requests run concurrently.
      const store = d1Store({
        database: env.DB,
        now: () => call.now,
        ...(call.table !== undefined && { table: call.table }),
        checkSchema: call.checkSchema ?? false,
      }) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const fn = store[method];
      if (typeof fn !== 'function') throw new Error(`no method ${method}`);
      const result = await fn(...call.args);
      return Response.json({ result: result ?? null });
    } catch (error) {
      return Response.json({ error: toWire(error) });
    }
  },
};

function toWire(error: unknown) {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const cause = error instanceof Error ? (error.cause as Error & { code?: string }) : undefined;
  return {
    name,
    message,
    operation: (error as { operation?: string }).operation,
    ...(cause instanceof Error && {
      cause: { name: cause.name, message: cause.message, code: cause.code },
    }),
  };
}
