// A route handler returning a NextResponse: cookies set through it and through cookies() are
// kept next to the session's (S31).
import { withSession } from '@fetch-session/next';
import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { sessions } from '../../../lib/sessions';

export const POST = withSession(sessions, async (request, session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  (await cookies()).set('seen', '1');
  const response = NextResponse.json({
    count,
    // Next hands route handlers a NextRequest-shaped object: nextUrl and cookies work.
    path: request.nextUrl.pathname,
  });
  response.cookies.set('theme', 'dark');
  return response;
});
