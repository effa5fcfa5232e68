import {
  createSessionManager,
  type SessionEvent,
  type SessionOptions,
  type SessionPatch,
  type SessionStore,
  type SessionWriteOptions,
} from '@fetch-session/core';
import { countStoreCalls, createTestClock } from '@fetch-session/core/testing';
import { memoryStore } from '@fetch-session/memory';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long';

/** `name=value` of a `Set-Cookie` header. */
export function cookiePair(setCookie: string | undefined): string {
  if (setCookie === undefined) throw new Error('expected a Set-Cookie');
  return setCookie.split(';')[0] as string;
}

/** A manager over a counted memory store with a test clock, recording events. */
export function setup<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
>(
  options: Partial<SessionOptions> = {},
  { storeClock = 'shared' }: { storeClock?: 'shared' | 'frozen' } = {},
) {
  const clock = createTestClock();
  // A frozen store clock never expires records, so only the core's timestamps can end a session.
  const memory = memoryStore({ now: storeClock === 'shared' ? clock.now : createTestClock().now });
  const store = countStoreCalls(memory);
  const events: SessionEvent[] = [];
  const sessions = createSessionManager<Data, Flash>({
    store,
    secrets: SECRET,
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  });
  /** Runs one request: open, act, commit. */
  async function request<T>(
    cookie: string | null,
    act: (session: ReturnType<typeof sessions.open>) => Promise<T>,
  ): Promise<{ result: T; setCookie: string | undefined; vary: boolean }> {
    const session = sessions.open(cookie);
    const result = await act(session);
    const commit = await sessions.commit(session);
    return { result, setCookie: commit.setCookie, vary: commit.vary };
  }
  return { clock, memory, store, events, sessions, request };
}

/** A real store whose writes are recorded (no `touch`, so refreshes show up as writes too). */
export function recordWrites(base: SessionStore) {
  const writes: Array<{ key: string; patch: SessionPatch; options: SessionWriteOptions }> = [];
  const store: SessionStore = {
    name: 'recording',
    load: (key) => base.load(key),
    delete: (key) => base.delete(key),
    write: (key, patch, options) => {
      writes.push({ key, patch, options });
      return base.write(key, patch, options);
    },
  };
  return { store, writes };
}
