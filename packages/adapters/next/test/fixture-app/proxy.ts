import { refreshSession } from '@fetch-session/next';
import type { NextRequest } from 'next/server';
import { sessions } from './lib/sessions';

export function proxy(request: NextRequest) {
  return refreshSession(sessions, request);
}

export const config = { matcher: ['/proxied/:path*'] };
