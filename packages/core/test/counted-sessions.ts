import {
  createSessionManager,
  type SessionEvent,
  type SessionOptions,
  type SessionStore,
} from '@fetch-session/core';
import { countStoreCalls } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';
import { expect } from 'vitest';

/** A manager over a call-counting store (memory unless given), recording events. */
export function setupCounted(
  secret: string,
  options: Partial<SessionOptions> & { store?: SessionStore } = {},
) {
  const store = countStoreCalls(options.store ?? memoryStore());
  const events: SessionEvent[] = [];
  const sessions = createSessionManager({
    secrets: secret,
    onEvent: (event) => events.push(event),
    ...options,
    store,
  });
  return { store, events, sessions };
}

export type CountedManager = ReturnType<typeof setupCounted>['sessions'];

/** The `Set-Cookie` a new session holding `k` gets. */
export async function issueSetCookie(
  sessions: CountedManager,
  value: unknown = 1,
): Promise<string> {
  const session = sessions.open(null);
  await session.set('k', value);
  const { setCookie } = await sessions.commit(session);
  if (setCookie === undefined) throw new Error('no Set-Cookie issued');
  return setCookie;
}

/** The cookie value (after `name=`) a new session holding `k` gets. */
export async function issue(sessions: CountedManager, value: unknown = 1): Promise<string> {
  const pair = (await issueSetCookie(sessions, value)).split(';')[0] as string;
  const prefix = `${sessions.cookieName}=`;
  expect(pair.startsWith(prefix)).toBe(true);
  return pair.slice(prefix.length);
}

/** Opens `input`, reads `k`, commits; reports what the request saw. */
export async function visit(
  sessions: CountedManager,
  input: Parameters<CountedManager['open']>[0],
) {
  const session = sessions.open(input);
  const value = await session.get('k');
  const isNew = await session.isNew();
  const commit = await sessions.commit(session);
  return { value, isNew, commit };
}
