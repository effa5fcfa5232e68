import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoEnv, messages, page } from '../context.js';

/** The classic Flask-Session examples: a visit counter, storing and reading data. */
export const basics = new Hono<DemoEnv>();

basics.get('/', async (c) => {
  const visits = ((await c.var.session.get('visits')) ?? 0) + 1;
  await c.var.session.set('visits', visits);
  const t = await messages(c);
  return page(
    c,
    t.visitCounter,
    html`<div class="card">
      <h1>${t.visitCounter}</h1>
      <p id="visits">You have visited this page ${visits} times</p>
      <p class="muted">The count lives in a server-side session; your browser only holds a signed ID.</p>
      <p><a href="/set_data">Store some data</a> · <a href="/get_data">Read it back</a></p>
    </div>`,
  );
});

basics.get('/set_data', async (c) => {
  const { session } = c.var;
  await session.set('username', 'flask_user');
  await session.set('user_id', 123);
  await session.set('preferences', { theme: 'dark', language: 'en' });
  return c.text('Data stored in session');
});

basics.get('/get_data', async (c) => {
  const { session } = c.var;
  const [username, userId, preferences] = await Promise.all([
    session.get('username'),
    session.get('user_id'),
    session.get('preferences'),
  ]);
  return c.text(
    [
      `Username: ${username ?? 'Guest'}`,
      `User ID: ${userId ?? 'Unknown'}`,
      `Preferences: ${JSON.stringify(preferences ?? {})}`,
    ].join('\n'),
  );
});
