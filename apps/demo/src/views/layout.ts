import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Messages } from '../i18n.js';
import type { Language, Notice, Theme } from '../session-types.js';

type Content = HtmlEscapedString | Promise<HtmlEscapedString> | string;

/** What every page shows around its content. */
export interface PageFrame {
  title: string;
  /** The page's `lang` attribute. */
  lang: Language;
  /** The navigation's strings, in `lang`. */
  messages: Messages;
  theme: Theme;
  notice: Notice | undefined;
  userName: string | undefined;
}

const styles = `
  :root { color-scheme: light; --bg: #f7f7f5; --fg: #1d1d1f; --card: #fff; --accent: #2f6fde; --muted: #6b6b70; }
  body.theme-dark { color-scheme: dark; --bg: #15161a; --fg: #ececf1; --card: #22242a; --accent: #7aa2ff; --muted: #a0a0aa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
  header { display: flex; gap: 1rem; align-items: center; padding: .75rem 1.5rem; background: var(--card); border-bottom: 1px solid #8883; flex-wrap: wrap; }
  header strong { margin-right: auto; }
  a { color: var(--accent); }
  main { max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; }
  .card { background: var(--card); border-radius: .75rem; padding: 1.25rem 1.5rem; box-shadow: 0 1px 3px #0002; margin-bottom: 1rem; }
  .notice { padding: .75rem 1rem; border-radius: .5rem; margin-bottom: 1rem; }
  .notice.success { background: #2e7d3233; } .notice.error { background: #c6282833; } .notice.info { background: #2f6fde33; }
  label { display: block; margin: .75rem 0 .25rem; }
  input, select, textarea { width: 100%; padding: .5rem; border-radius: .4rem; border: 1px solid #8886; background: var(--bg); color: var(--fg); font: inherit; }
  button { margin-top: 1rem; padding: .5rem 1rem; border: 0; border-radius: .4rem; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
  button.secondary { background: var(--muted); }
  table { width: 100%; border-collapse: collapse; } td, th { padding: .4rem; text-align: left; border-bottom: 1px solid #8883; }
  .muted { color: var(--muted); }
  header form { margin: 0; } header form button { margin: 0; padding: .25rem .75rem; }
  label.checkbox { display: flex; gap: .5rem; align-items: center; } label.checkbox input { width: auto; }
`;

/** The page frame: language, navigation, theme, the flash notice. */
export function layout(
  frame: PageFrame,
  content: Content,
): Promise<HtmlEscapedString> | HtmlEscapedString {
  const nav = frame.messages.nav;
  return html`<!doctype html>
<html lang="${frame.lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${frame.title} · fetch-session demo</title>
    <style>${styles}</style>
  </head>
  <body class="theme-${frame.theme}">
    <header>
      <strong>fetch-session demo</strong>
      <a href="/">${nav.counter}</a>
      <a href="/shop">${nav.shop}</a>
      <a href="/wizard">${nav.wizard}</a>
      <a href="/preferences">${nav.preferences}</a>
      ${
        frame.userName === undefined
          ? html`<a href="/login">${nav.login}</a>`
          : // Logging out changes state: a POST form, never a link a cross-site page could follow.
            html`<a href="/dashboard">${frame.userName}</a>
              <form method="post" action="/logout"><button type="submit">${nav.logout}</button></form>`
      }
    </header>
    <main>
      ${frame.notice === undefined ? '' : html`<p class="notice ${frame.notice.kind}" role="status">${frame.notice.text}</p>`}
      ${content}
    </main>
  </body>
</html>`;
}
