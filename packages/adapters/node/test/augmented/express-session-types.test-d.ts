// Type test with the app's SessionTypes declared (declaration merging), checked by tsc in a
// program of its own (tsconfig.json here): the declaration is global to its program.
import { createSessionManager, type Session } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { expressSession, getSession } from '@fetch-session/node';
import express from 'express';
import { expectTypeOf } from 'vitest';

declare module '@fetch-session/node' {
  interface SessionTypes {
    data: { count: number; user?: string };
    flash: { notice: string };
  }
}

const sessions = createSessionManager<{ count: number; user?: string }, { notice: string }>({
  store: memoryStore(),
  secrets: 'x',
});
const app = express();
app.use(expressSession(sessions));
app.get('/', async (req, res) => {
  expectTypeOf(req.session).toEqualTypeOf<
    Session<{ count: number; user?: string }, { notice: string }>
  >();
  expectTypeOf(await req.session.get('count')).toEqualTypeOf<number | undefined>();
  expectTypeOf(await req.session.takeFlash('notice')).toEqualTypeOf<string | undefined>();
  // @ts-expect-error: not a key of the declared data
  await req.session.get('nope');
  expectTypeOf(getSession(req)).toEqualTypeOf(req.session);
  res.send('ok');
});
