// Behind the proxy, a handler that changes the ID in the request the proxy refreshed.
import { withSession } from '@fetch-session/next';
import { sessions } from '../../../lib/sessions';

export const POST = withSession(sessions, async (_request, session) => {
  await session.regenerate();
  await session.set('user', 'promoted');
  return new Response('promoted');
});
