import { withSession } from '@fetch-session/next';
import { sessions } from '../../../lib/sessions';

export const GET = withSession(sessions, async (request, session) =>
  Response.json({
    user: (await session.get('user')) ?? null,
    count: (await session.get('count')) ?? null,
    isNew: await session.isNew(),
    cookie: request.cookies.get('sid')?.value ?? null,
  }),
);
