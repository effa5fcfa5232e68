import { withSession } from '@fetch-session/next';
import { sessions } from '../../../lib/sessions';

export const POST = withSession(sessions, async (request, session) => {
  await session.regenerate();
  await session.set('user', request.nextUrl.searchParams.get('user') ?? 'ada');
  if (request.nextUrl.searchParams.get('permanent') === '1') await session.setPermanent(true);
  await session.flash('notice', 'welcome');
  return new Response('logged-in');
});
