// redirect() throws: the wrapper still saves the session, through cookies().
import { withSession } from '@fetch-session/next';
import { redirect } from 'next/navigation';
import { sessions } from '../../../lib/sessions';

export const POST = withSession(sessions, async (_request, session) => {
  await session.regenerate();
  await session.set('user', 'redirected');
  redirect('/rsc');
});
