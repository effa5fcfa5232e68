import type { SessionEnv } from '@fetch-session/hono';
import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DemoData, DemoFlash, Notice, Preferences } from './session-types.js';
import { layout } from './views/layout.js';

/** The demo's Hono environment: the session plus whether this is production. */
export type DemoEnv = SessionEnv<DemoData, DemoFlash> & { Variables: { production: boolean } };
export type DemoContext = Context<DemoEnv>;

export const defaultPreferences: Preferences = { theme: 'light', language: 'en' };

/** Renders a page in the visitor's theme, with the pending flash notice (read once). */
export async function page(
  c: DemoContext,
  title: string,
  content: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 401 | 403 | 404 = 200,
): Promise<Response> {
  const session = c.var.session;
  const [preferences, notice, user] = await Promise.all([
    session.get('preferences'),
    session.takeFlash('notice'),
    session.get('user'),
  ]);
  const frame = {
    title,
    theme: preferences?.theme === 'dark' ? 'dark' : 'light',
    notice,
    userName: user?.name,
  } as const;
  return c.html(await layout(frame, content), status);
}

export async function flash(c: DemoContext, kind: Notice['kind'], text: string): Promise<void> {
  await c.var.session.flash('notice', { kind, text });
}
