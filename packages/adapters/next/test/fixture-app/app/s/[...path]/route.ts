// The shared adapter scenarios (scenarioRoutes from @fetch-session/core/testing), each mounted
// by method and path under /s, through withSession.
import { scenarioRoutes } from '@fetch-session/core/testing';
import { withSession } from '@fetch-session/next';
import { scenarioSessions } from '../../../lib/sessions';

const handle = withSession(
  scenarioSessions,
  async (request, session, { params }: RouteContext<'/s/[...path]'>) => {
    const path = `/${(await params).path.join('/')}`;
    const route = scenarioRoutes.find((r) => r.method === request.method && r.path === path);
    if (route === undefined) return new Response('Not Found', { status: 404 });
    return new Response(await route.handle(session), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  },
);

export const GET = handle;
export const POST = handle;
