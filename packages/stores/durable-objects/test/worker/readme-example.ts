// The Workers example of README.md, verbatim apart from this comment; readme-example.test.ts
// runs it in workerd.
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { durableObjectStore, type SessionObject } from '@fetch-session/durable-objects';

// The class Wrangler binds: export it from the Worker's entry module.
export { SessionObject } from '@fetch-session/durable-objects';

interface Env {
  SESSIONS: DurableObjectNamespace<SessionObject>;
  SESSION_SECRET: string;
}

// Build once per isolate, on the first request (bindings arrive with it), then reuse: the
// manager caches verified cookies.
let sessions: SessionManager<{ count: number }> | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    sessions ??= createSessionManager<{ count: number }>({
      store: durableObjectStore({ namespace: env.SESSIONS }),
      secrets: [env.SESSION_SECRET],
    });
    return sessions.wrap(async (_request, session) => {
      const count = ((await session.get('count')) ?? 0) + 1;
      await session.set('count', count);
      return Response.json({ count });
    })(request);
  },
};
