// Type tests, checked by tsc (`npm run typecheck`), never run.
import { createSessionManager, type Session } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { withSession } from '@fetch-session/next';
import type { NextRequest } from 'next/server.js';
import { expectTypeOf } from 'vitest';

type Data = { count: number; user: string };
const sessions = createSessionManager<Data>({ store: memoryStore(), secrets: 'x' });

// The session is typed from the manager, the context from the handler.
const handler = withSession(
  sessions,
  async (request, session, context: { params: Promise<{ id: string }> }) => {
    expectTypeOf(request).toEqualTypeOf<NextRequest>();
    expectTypeOf(session).toEqualTypeOf<Session<Data, Record<string, unknown>>>();
    expectTypeOf(session.get('count')).resolves.toEqualTypeOf<number | undefined>();
    // @ts-expect-error: not a key of Data
    await session.get('nope');
    return Response.json(await context.params);
  },
);
expectTypeOf(handler).parameters.toEqualTypeOf<[Request, { params: Promise<{ id: string }> }]>();
