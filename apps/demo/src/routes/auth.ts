import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoContext, type DemoEnv, flash, page } from '../context.js';
import { authenticate } from '../users.js';

/** Login with session regeneration, a protected dashboard, logout. */
export const auth = new Hono<DemoEnv>();

function loginForm(c: DemoContext, error?: string) {
  return page(
    c,
    'Log in',
    html`<div class="card">
      <h1>Log in</h1>
      ${error === undefined ? '' : html`<p class="notice error" role="alert">${error}</p>`}
      <form method="post" action="/login">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Log in</button>
      </form>
      <p class="muted">Demo account: test@example.com / password123</p>
    </div>`,
    error === undefined ? 200 : 401,
  );
}

auth.get('/login', (c) => loginForm(c));

auth.post('/login', async (c) => {
  const form = await c.req.parseBody();
  const user = await authenticate(String(form.email ?? ''), String(form.password ?? ''));
  if (user === undefined) return loginForm(c, 'Invalid credentials');
  // A new session ID at login: a cookie planted before login is worthless after it (S14).
  await c.var.session.regenerate();
  // Bound to the user, so the account page can list and revoke this session.
  await c.var.session.bindUser(user.email);
  await c.var.session.set('user', user);
  await flash(c, 'success', `Welcome back, ${user.name}!`);
  return c.redirect('/dashboard', 302);
});

auth.get('/dashboard', async (c) => {
  const user = await c.var.session.get('user');
  if (user === undefined) return c.redirect('/login', 302);
  return page(
    c,
    'Dashboard',
    html`<div class="card">
      <h1>Welcome to your dashboard, ${user.name}!</h1>
      <p>Signed in as ${user.email}. <a href="/account/sessions">Your sessions</a></p>
      <form method="post" action="/logout"><button type="submit">Log out</button></form>
    </div>`,
  );
});

async function logout(c: DemoContext) {
  await c.var.session.destroy();
  await flash(c, 'info', 'You have been logged out.');
  return c.redirect('/login', 302);
}
auth.get('/logout', logout);
auth.post('/logout', logout);
