// Type tests, checked by tsc (`npm run typecheck`), never run. Without a SessionTypes
// declaration (test/augmented/ has one, in a program of its own).
import type { IncomingMessage } from 'node:http';
import { createSessionManager, type Session } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession, type RequestSession } from '@fetch-session/node';
import express from 'express';
import { expectTypeOf } from 'vitest';

type Data = { count: number; user: string };
type Flash = { notice: string };
const sessions = createSessionManager<Data, Flash>({ store: memoryStore(), secrets: 'x' });
declare const req: IncomingMessage;

// getSession with the manager takes the manager's types; a type argument alone is refused.
expectTypeOf(getSession(req, sessions)).toEqualTypeOf<Session<Data, Flash>>();
// @ts-expect-error: the data type comes from the manager, not from a cast
getSession<Data>(req);
expectTypeOf(getSession(req)).toEqualTypeOf<RequestSession>();

// req.session exists on Express requests; undeclared, its data is untyped.
const app = express();
app.use(expressSession(sessions));
app.get('/', async (request, response) => {
  expectTypeOf(request.session).toEqualTypeOf<
    Session<Record<string, unknown>, Record<string, unknown>>
  >();
  expectTypeOf(await getSession(request, sessions).get('count')).toEqualTypeOf<
    number | undefined
  >();
  response.send('ok');
});
