// Cloudflare Workers with sessions in Durable Objects (strongly consistent, unlike KV).
import { createSessionManager, type SessionManager } from '@fetch-session/core';
import { durableObjectStore, type SessionObject } from '@fetch-session/durable-objects';

// The class the SESSIONS binding names (wrangler.toml): export it from the Worker's entry.
export { SessionObject } from '@fetch-session/durable-objects';

interface Env {
  SESSIONS: DurableObjectNamespace<SessionObject>;
  SESSION_SECRET: string; // .dev.vars locally, `wrangler secret put SESSION_SECRET` deployed
}

// Built on the first request (bindings arrive with it), then reused by the isolate.
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
      return new Response(`You have visited this page ${count} times`);
    })(request);
  },
} satisfies ExportedHandler<Env>;
