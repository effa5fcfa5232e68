'use server';
// Server Actions: withActionSession saves when the action returns or redirects; getSession()
// with an explicit save() does the same by hand.
import { getSession, withActionSession } from '@fetch-session/next';
import { refresh } from 'next/cache';
import { redirect } from 'next/navigation';
import { sessions } from '../../lib/sessions';

export const increment = withActionSession(sessions, async (session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return count;
});

// Next re-renders the page after an action only if it set a cookie or revalidated: a change to
// an existing session keeps its cookie, so the action asks for the refresh itself.
export const incrementAndRefresh = withActionSession(sessions, async (session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  refresh();
  return count;
});

export const loginAndRedirect = withActionSession(sessions, async (session, user: string) => {
  await session.regenerate();
  await session.set('user', user);
  redirect('/rsc');
});

export async function logoutWithSave(): Promise<string> {
  const session = await getSession(sessions);
  const wasReadOnly = session.readOnly;
  await session.destroy();
  await session.flash('notice', 'bye');
  await session.save();
  return `logged-out readOnly=${wasReadOnly}`;
}
