import type { SessionManager } from '@fetch-session/core';

/** The data of the test app's sessions. */
export interface AppData {
  count?: number;
  user?: string;
  [key: string]: unknown;
}

/**
 * A small app on a session manager, run inside the Worker: a visit counter, login (which
 * regenerates the ID, S14), `me`, a key setter, a read-only page and logout (destroy); and the
 * per-user pages: `signin` (login bound to the user, `bindUser`), `sessions` (the signed-in
 * user's list), `revoke?handle=` and `revoke-all` (`?except=current` keeps this one).
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
      case 'signin': {
        const user = url.searchParams.get('user') ?? 'ada';
        await session.regenerate();
        await session.bindUser(user, { device: url.searchParams.get('device') ?? 'browser' });
        await session.set('user', user);
        return Response.json({ user });
      }
      case 'sessions': {
        const user = await session.get('user');
        if (user === undefined) return Response.json([]);
        return Response.json(await sessions.listSessions(user, { current: session }));
      }
      case 'revoke': {
        const user = (await session.get('user')) ?? '';
        const handle = url.searchParams.get('handle') ?? '';
        return Response.json({ revoked: await sessions.revokeSession(user, handle) });
      }
      case 'revoke-all': {
        const user = (await session.get('user')) ?? '';
        const except = url.searchParams.get('except') === 'current' ? session : undefined;
        return Response.json({
          count: await sessions.revokeAllSessions(user, except && { except }),
        });
      }
      default:
        return new Response('not found', { status: 404 });
    }
  });
}
