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
    const reply = await route.handle(session);
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  },
);

export const GET = handle;
export const POST = handle;
