import type { SessionManager } from '@fetch-session/core';

/** The data of the test app's sessions. */
export interface AppData {
  count?: number;
  user?: string;
  [key: string]: unknown;
}

/**
 * A small app on a session manager, run inside the Worker: a visit counter, login (which
 * regenerates the ID, S14), `me`, a key setter, a read-only page and logout (destroy).
 */
export function sessionApp(
  sessions: SessionManager<AppData, AppData>,
): (request: Request) => Promise<Response> {
  return sessions.wrap(async (request, session) => {
    const url = new URL(request.url);
    const action = url.pathname.split('/').pop();
    switch (action) {
      case 'count': {
        const count = ((await session.get('count')) ?? 0) + 1;
        await session.set('count', count);
        return Response.json({ count });
      }
      case 'login': {
        await session.set('user', url.searchParams.get('user') ?? 'ada');
        await session.regenerate();
        return Response.json({ user: await session.get('user') });
      }
      case 'me':
        return Response.json({
          user: (await session.get('user')) ?? null,
          isNew: await session.isNew(),
        });
      case 'set': {
        const key = url.searchParams.get('key') ?? 'value';
        await session.set(key, url.searchParams.get('value'));
        return Response.json({ keys: await session.keys() });
      }
      case 'logout':
        await session.destroy();
        return Response.json({ user: null });
      default:
        return new Response('not found', { status: 404 });
    }
  });
}
