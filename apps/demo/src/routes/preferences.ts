import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoEnv, defaultPreferences, flash, messages, page } from '../context.js';
import { languages } from '../i18n.js';
import type { Theme } from '../session-types.js';

/** Theme and language, kept across visits; every page renders in the chosen theme and language. */
export const preferences = new Hono<DemoEnv>();

const themes: readonly Theme[] = ['light', 'dark'];

preferences.get('/preferences', async (c) => {
  const current = (await c.var.session.get('preferences')) ?? defaultPreferences;
  const t = await messages(c);
  return page(
    c,
    t.preferences,
    html`<div class="card">
      <h1>${t.preferences}</h1>
      <form method="post" action="/preferences">
        <label for="theme">Theme</label>
        <select id="theme" name="theme">
          ${themes.map((theme) => html`<option value="${theme}" ${theme === current.theme ? 'selected' : ''}>${theme}</option>`)}
        </select>
        <label for="language">Language</label>
        <select id="language" name="language">
          ${languages.map(
            (language) =>
              html`<option value="${language.code}" ${language.code === current.language ? 'selected' : ''}>${language.name}</option>`,
          )}
        </select>
        <button type="submit">Save</button>
      </form>
    </div>`,
  );
});

preferences.post('/preferences', async (c) => {
  const form = await c.req.parseBody();
  const theme = themes.find((t) => t === form.theme) ?? defaultPreferences.theme;
  const language =
    languages.find((l) => l.code === form.language)?.code ?? defaultPreferences.language;
  await c.var.session.set('preferences', { theme, language });
  await flash(c, 'success', 'Preferences saved.');
  return c.redirect('/preferences', 302);
});
