// app/api/count/route.ts: a route handler; the session is saved onto the returned Response.
import { withSession } from '@fetch-session/next';
import { NextResponse } from 'next/server';
import { sessions } from '@/lib/sessions';

export const POST = withSession(sessions, async (_request, session) => {
  if (!(await session.get('user'))) {
    return NextResponse.json({ error: 'sign in first' }, { status: 401 }); // checked here too
  }
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return NextResponse.json({ count });
});
