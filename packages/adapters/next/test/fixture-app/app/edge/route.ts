// The adapter on the edge runtime (no Node.js APIs). The edge sandbox has its own globalThis,
// so this counter's store is not the one the Node.js routes share.
import { withSession } from '@fetch-session/next';
import { sessions } from '../../lib/sessions';

export const runtime = 'edge';

export const POST = withSession(sessions, async (_request, session) => {
  const count = ((await session.get('count')) ?? 0) + 1;
  await session.set('count', count);
  return new Response(`edge count=${count}`);
});
