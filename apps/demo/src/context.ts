import type { SessionEnv } from '@fetch-session/hono';
import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import { type Messages, messagesFor, supportedLanguage } from './i18n.js';
import type { LoginThrottle } from './login-throttle.js';
import type { DemoData, DemoFlash, Language, Notice, Preferences } from './session-types.js';
import { layout } from './views/layout.js';

/** The demo's Hono environment: the session, the login throttle and the client's address. */
export type DemoEnv = SessionEnv<DemoData, DemoFlash> & {
  Variables: {
    loginThrottle: LoginThrottle;
    /** The peer address as the runtime reports it (never a header a client could forge). */
    clientAddress: string | undefined;
  };
};
export type DemoContext = Context<DemoEnv>;

export const defaultPreferences: Preferences = { theme: 'light', language: 'en' };

/** The visitor's language, from their saved preferences. */
export async function language(c: DemoContext): Promise<Language> {
  return supportedLanguage((await c.var.session.get('preferences'))?.language);
}

/** The strings in the visitor's language. */
export async function messages(c: DemoContext): Promise<Messages> {
  return messagesFor(await language(c));
}

/** Renders a page in the visitor's theme and language, with the pending flash notice (read once). */
export async function page(
  c: DemoContext,
  title: string,
  content: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 400 | 401 | 403 | 404 | 429 = 200,
): Promise<Response> {
  const session = c.var.session;
  const [preferences, notice, user] = await Promise.all([
    session.get('preferences'),
    session.takeFlash('notice'),
    session.get('user'),
  ]);
  const lang = supportedLanguage(preferences?.language);
  const frame = {
    title,
    lang,
    messages: messagesFor(lang),
    theme: preferences?.theme === 'dark' ? 'dark' : 'light',
    notice,
    userName: user?.name,
  } as const;
  return c.html(await layout(frame, content), status);
}

export async function flash(c: DemoContext, kind: Notice['kind'], text: string): Promise<void> {
  await c.var.session.flash('notice', { kind, text });
}
