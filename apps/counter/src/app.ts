import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';

/** The session data of this example. */
interface CounterSession {
  count: number;
}

/**
 * A fetch handler that counts visits per browser. Sessions live in memory: they end when the
 * process stops, which is what an example needs and a production app does not.
 */
export function createCounterApp(secret: string): (request: Request) => Promise<Response> {
  const sessions = createSessionManager<CounterSession>({
    store: memoryStore(),
    secrets: [secret],
  });

  return sessions.wrap(async (request, session) => {
    if (new URL(request.url).pathname !== '/') return new Response('Not Found', { status: 404 });
    const count = ((await session.get('count')) ?? 0) + 1;
    await session.set('count', count);
    return new Response(`You have visited this page ${count} times\n`, {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  });
}
