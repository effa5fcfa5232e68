import type { Session, SessionManager } from '@fetch-session/core';
import { cookies, headers } from 'next/headers.js';
import { nextCookieValue, toCookieInit } from './cookie-header.js';
import { isRedirectError, SessionReadOnlyError } from './errors.js';

/**
 * The session {@link getSession} returns: the core's {@link Session}, plus `save()` and
 * whether it is read-only.
 */
export interface NextSession<
  Data extends object = Record<string, unknown>,
  Flash extends object = Record<string, unknown>,
> extends Session<Data, Flash> {
  /**
   * True where Next.js does not let the request set cookies (Server Components, layouts,
   * `generateMetadata`): every write throws {@link SessionReadOnlyError}, nothing is ever
   * saved, no ID is minted and no touch happens.
   */
  readonly readOnly: boolean;
  /**
   * Saves what changed and sets the cookie through `cookies().set()`. Call it once, at the
   * end of a Server Action (or use {@link withActionSession}, which calls it for you); call it
   * before `redirect()`, which throws. Does nothing in a read-only session. Throws
   * `SessionStoreError` if the store fails.
   */
  save(): Promise<void>;
}

type CookieStore = Awaited<ReturnType<typeof cookies>>;
type AnyManager = SessionManager<object, object>;

/**
 * Next marks the cookie store of a phase that may set cookies (Server Actions, route
 * handlers) with this symbol; the read-only store of a render has no such property. Reading
 * it has no side effect (unlike probing `set`). If a future Next drops it, every session is
 * read-only: writes fail loudly, nothing is lost.
 */
const MUTABLE_COOKIES = Symbol.for('next.mutated.cookies');

function cookiesAreWritable(store: CookieStore): boolean {
  return Array.isArray((store as unknown as Record<symbol, unknown>)[MUTABLE_COOKIES]);
}

/**
 * The `Cookie` header the core should read. Normally the raw request header, so duplicate
 * names resolve as everywhere else (first wins, S32). When this request already changed the
 * session cookie (a Server Action saved it, and the page now renders with the new value),
 * `cookies()` knows and the raw header does not: then the value from `cookies()`.
 */
function cookieInput(name: string, store: CookieStore, raw: string | null): string | null {
  const current = store.get(name)?.value;
  if (current === nextCookieValue(raw, name)) return raw;
  return current === undefined || current === '' ? null : `${name}=${current}`;
}

/** Read-only sessions, one per request (its cookie store) and manager: layouts and pages share it. */
const readOnlySessions = new WeakMap<object, WeakMap<AnyManager, NextSession<object, object>>>();

/**
 * The session of the current request, for Server Components and Server Actions (built on
 * `cookies()` and `headers()` from `next/headers`, so the route becomes dynamic).
 *
 * - In a **Server Action** (or a route handler) it is writable: change it, then
 *   `await session.save()`, which saves and sets the cookie; or wrap the action in
 *   {@link withActionSession}, which saves when the action returns or redirects.
 * - In a **Server Component** it is read-only (`session.readOnly`): reads work, every write
 *   throws {@link SessionReadOnlyError}, and nothing is ever committed, so no ID is minted, no
 *   record is created and no touch happens there. Refresh sessions in the proxy
 *   ({@link refreshSession}), an action or a route handler.
 *
 * Reading a session whose store is down throws `SessionStoreError` (the nearest
 * `error.tsx` shows it).
 *
 * @example A Server Component
 * ```tsx
 * import { getSession } from '@fetch-session/next';
 * import { sessions } from '@/lib/sessions';
 *
 * export default async function Page() {
 *   const session = await getSession(sessions);
 *   const user = await session.get('user');
 *   return <p>{user ? `Hello ${user.name}` : 'Not signed in'}</p>;
 * }
 * ```
 *
 * @example A Server Action with an explicit save
 * ```ts
 * 'use server';
 * export async function logout() {
 *   const session = await getSession(sessions);
 *   await session.destroy();
 *   await session.flash('notice', 'Signed out');
 *   await session.save();
 *   redirect('/');
 * }
 * ```
 */
export async function getSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
): Promise<NextSession<Data, Flash>> {
  if (sessions === null || typeof sessions !== 'object' || typeof sessions.open !== 'function') {
    throw new TypeError('[fetch-session] getSession: the argument must be a session manager');
  }
  const [store, headerList] = await Promise.all([cookies(), headers()]);
  const input = cookieInput(sessions.cookieName, store, headerList.get('cookie'));
  if (cookiesAreWritable(store)) return nextSession(sessions, sessions.open(input), false);
  let perManager = readOnlySessions.get(store);
  if (perManager === undefined) {
    perManager = new WeakMap();
    readOnlySessions.set(store, perManager);
  }
  const cached = perManager.get(sessions as unknown as AnyManager);
  if (cached !== undefined) return cached as unknown as NextSession<Data, Flash>;
  // The core refuses every write of a read-only session and never commits it.
  const readOnly = sessions.open(input, { readOnly: true, readOnlyError: refuseInComponent });
  const session = nextSession(sessions, readOnly, true);
  perManager.set(
    sessions as unknown as AnyManager,
    session as unknown as NextSession<object, object>,
  );
  return session;
}

function refuseInComponent(operation: string): SessionReadOnlyError {
  return new SessionReadOnlyError(`session.${operation}()`);
}

/**
 * Wraps a Server Action with a writable session that is saved when the action returns, or
 * when it calls `redirect()`. An action that throws anything else saves nothing. Used where
 * cookies are read-only (during a Server Component render) it throws
 * {@link SessionReadOnlyError} before running the action.
 *
 * @example `app/actions.ts`
 * ```ts
 * 'use server';
 * import { withActionSession } from '@fetch-session/next';
 * import { redirect } from 'next/navigation';
 * import { sessions } from '@/lib/sessions';
 *
 * export const login = withActionSession(sessions, async (session, formData: FormData) => {
 *   const user = await checkPassword(formData.get('email'), formData.get('password'));
 *   if (!user) return { error: 'Wrong email or password' };
 *   await session.regenerate(); // new ID at every privilege change
 *   await session.set('user', { id: user.id, name: user.name });
 *   redirect('/dashboard'); // the session is saved first
 * });
 * ```
 */
export function withActionSession<
  Data extends object,
  Flash extends object,
  Args extends unknown[],
  Result,
>(
  sessions: SessionManager<Data, Flash>,
  action: (session: Session<Data, Flash>, ...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result> {
  if (typeof action !== 'function') {
    throw new TypeError(
      '[fetch-session] withActionSession: the second argument must be a function',
    );
  }
  return async function sessionAction(...args) {
    const session = await getSession(sessions);
    if (session.readOnly) throw new SessionReadOnlyError('withActionSession()');
    let result: Result;
    try {
      result = await action(session, ...args);
    } catch (error) {
      if (isRedirectError(error)) await session.save();
      throw error;
    }
    await session.save();
    return result;
  };
}

/**
 * The core's session itself, with `readOnly` and `save()` added: nothing to forward, so a
 * method added to the core's Session is there at once (read-only mode is the core's).
 */
function nextSession<Data extends object, Flash extends object>(
  sessions: SessionManager<Data, Flash>,
  session: Session<Data, Flash>,
  readOnly: boolean,
): NextSession<Data, Flash> {
  async function save(): Promise<void> {
    if (readOnly) return;
    // Checked again before anything is written: once an action returns, Next re-renders the
    // page in the same request and cookies become read-only.
    const store = await cookies();
    if (!cookiesAreWritable(store)) throw new SessionReadOnlyError('session.save()');
    const { setCookie } = await sessions.commit(session);
    if (setCookie !== undefined) store.set(toCookieInit(setCookie));
  }
  return Object.defineProperties(session, {
    readOnly: { value: readOnly, enumerable: true },
    save: { value: save },
  }) as NextSession<Data, Flash>;
}
