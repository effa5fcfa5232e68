'use server';
// app/actions.ts: Server Actions get a writable session, saved when they return or redirect.
import { getSession, withActionSession } from '@fetch-session/next';
import { refresh } from 'next/cache';
import { redirect } from 'next/navigation';
import { sessions } from '@/lib/sessions';
import { checkPassword } from '@/lib/users';

export const login = withActionSession(sessions, async (session, formData: FormData) => {
  const user = await checkPassword(formData.get('email'), formData.get('password'));
  if (!user) redirect('/?error=wrong-password');
  await session.regenerate(); // a new ID at every privilege change
  await session.set('user', { id: user.id, name: user.name });
  redirect('/'); // saved first
});

export const addOne = withActionSession(sessions, async (session) => {
  if (!(await session.get('user'))) throw new Error('sign in first'); // not only in the proxy
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  refresh(); // the page shows the count: render it again in this response
});

// The explicit form: getSession() and save(), before redirect() (which throws).
export async function logout() {
  const session = await getSession(sessions);
  await session.destroy();
  await session.save();
  redirect('/');
}
