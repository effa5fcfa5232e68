// Type tests, checked by tsc (`npm run typecheck`), never run: the documented forms must infer.
import { createSessionManager, type Session, type SessionManager } from '@fetch-session/core';
import { type SessionEnv, sessionMiddleware, sessionsPerBinding } from '@fetch-session/hono';
import { type MemoryStore, memoryStore } from '@fetch-session/memory';
import { type Context, Hono } from 'hono';
import { expectTypeOf } from 'vitest';

type Data = { count: number; user: string };
type Flash = { notice: string };
const secrets = 'hono-type-test-secret-0123456789abcdef';
const sessions = createSessionManager<Data, Flash>({ store: memoryStore(), secrets });

// c.var.session is typed from the app's SessionEnv.
const app = new Hono<SessionEnv<Data, Flash>>();
app.use(sessionMiddleware({ sessions }));
app.get('/', async (c) => {
  expectTypeOf(c.var.session).toEqualTypeOf<Session<Data, Flash>>();
  expectTypeOf(c.var.session.get('count')).resolves.toEqualTypeOf<number | undefined>();
  expectTypeOf(c.get('session').get('user')).resolves.toEqualTypeOf<string | undefined>();
  expectTypeOf(c.var.sessionManager).toEqualTypeOf<SessionManager<Data, Flash>>();
  // @ts-expect-error: not a key of Data
  await c.var.session.get('nope');
  return c.text('ok');
});

// ... and from the middleware alone, when routes are chained on app.use().
new Hono().use(sessionMiddleware({ sessions })).get('/', async (c) => {
  expectTypeOf(c.var.session.get('count')).resolves.toEqualTypeOf<number | undefined>();
  return c.text('ok');
});

// The README's per-request form (Workers KV): c.env typed, no generics spelled out.
type Bindings = { SESSIONS: MemoryStore; SESSION_SECRET: string };
const kvApp = new Hono<{ Bindings: Bindings } & SessionEnv<Data, Flash>>();
kvApp.use(
  sessionMiddleware({
    sessions: sessionsPerBinding(
      (env: Bindings) => env.SESSIONS,
      (env) => {
        expectTypeOf(env.SESSION_SECRET).toEqualTypeOf<string>();
        return createSessionManager<Data, Flash>({
          store: env.SESSIONS,
          secrets: [env.SESSION_SECRET],
        });
      },
    ),
    onStoreError: (_error, c) => c.text('down', 503), // does not hold up the inference of c.env
  }),
);
kvApp.get('/', async (c) => {
  expectTypeOf(c.var.session.get('count')).resolves.toEqualTypeOf<number | undefined>();
  return c.text('ok');
});

// A hand-written per-request function infers the same once its context is annotated.
kvApp.use(
  sessionMiddleware({
    sessions: (c: Context<{ Bindings: Bindings }>) =>
      createSessionManager<Data, Flash>({
        store: c.env.SESSIONS,
        secrets: [c.env.SESSION_SECRET],
      }),
  }),
);

// sessionsPerBinding keys on an object: a string binding is refused.
sessionsPerBinding(
  // @ts-expect-error: a secret is no object to key managers on
  (env: Bindings) => env.SESSION_SECRET,
  () => sessions,
);
