import { withSession } from '@fetch-session/next';
import { sessions } from '../../../lib/sessions';

export const GET = withSession(sessions, async (request, session) =>
  Response.json({
    user: (await session.get('user')) ?? null,
    cookie: request.cookies.get('sid')?.value ?? null,
  }),
);
