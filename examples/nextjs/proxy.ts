// proxy.ts (middleware.ts before Next 16): refreshes the session of the pages it matches.
// Not a security boundary (CVE-2025-29927): the pages, actions and routes check the session too.
import { refreshSession } from '@fetch-session/next';
import type { NextRequest } from 'next/server';
import { sessions } from '@/lib/sessions';

export function proxy(request: NextRequest) {
  return refreshSession(sessions, request);
}

export const config = {
  matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'],
};
