import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoContext, type DemoEnv, flash, messages, page } from '../context.js';
import { authenticate } from '../users.js';

/** Login with session regeneration and throttling, a protected dashboard, logout. */
export const auth = new Hono<DemoEnv>();

type LoginProblem =
  | { status: 401; text: string }
  | { status: 429; text: string; retryAfterSeconds: number };

async function loginForm(c: DemoContext, problem?: LoginProblem) {
  const t = await messages(c);
  if (problem?.status === 429) c.header('Retry-After', String(problem.retryAfterSeconds));
  return page(
    c,
    t.login,
    html`<div class="card">
      <h1>${t.login}</h1>
      ${problem === undefined ? '' : html`<p class="notice error" role="alert">${problem.text}</p>`}
      <form method="post" action="/login">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <label class="checkbox" for="remember">
          <input id="remember" name="remember" type="checkbox" value="1" /> Remember me
        </label>
        <button type="submit">${t.login}</button>
      </form>
      <p class="muted">Demo account: test@example.com / password123</p>
    </div>`,
    problem?.status ?? 200,
  );
}

auth.get('/login', (c) => loginForm(c));

auth.post('/login', async (c) => {
  const form = await c.req.parseBody();
  const email = String(form.email ?? '');
  // Checked before the password: a throttled guess costs no hash and learns nothing.
  const attempt = c.var.loginThrottle.begin({ account: email, client: c.var.clientAddress });
  if (!attempt.allowed) {
    const { retryAfterSeconds } = attempt;
    const text = `Too many failed attempts. Try again in ${retryAfterSeconds} seconds.`;
    return loginForm(c, { status: 429, text, retryAfterSeconds });
  }
  const user = await authenticate(email, String(form.password ?? ''));
  if (user === undefined) return loginForm(c, { status: 401, text: 'Invalid credentials' });
  attempt.succeeded();
  // A new session ID at login: a cookie planted before login is worthless after it (S14).
  await c.var.session.regenerate();
  // "Remember me" is Flask's `session.permanent = True`: a cookie with Max-Age. Unticked, the
  // cookie has no Max-Age or Expires and ends when the browser closes.
  await c.var.session.setPermanent(form.remember === '1');
  // Bound to the user, so the account page can list and revoke this session.
  await c.var.session.bindUser(user.email);
  await c.var.session.set('user', user);
  await flash(c, 'success', `Welcome back, ${user.name}!`);
  return c.redirect('/dashboard', 302);
});

auth.get('/dashboard', async (c) => {
  const user = await c.var.session.get('user');
  if (user === undefined) return c.redirect('/login', 302);
  const t = await messages(c);
  return page(
    c,
    t.dashboard,
    html`<div class="card">
      <h1>${t.welcome(user.name)}</h1>
      <p>Signed in as ${user.email}. <a href="/account/sessions">Your sessions</a></p>
      <form method="post" action="/logout"><button type="submit">${t.nav.logout}</button></form>
    </div>`,
  );
});

// POST only, behind the csrf middleware: a GET logout lets any site log you out with a link or
// an <img> (SameSite=Lax cookies ride along on top-level cross-site GETs).
auth.post('/logout', async (c) => {
  await c.var.session.destroy();
  await flash(c, 'info', 'You have been logged out.');
  return c.redirect('/login', 302);
});
auth.get('/logout', (c) =>
  c.text('Log out with the Log out button (POST /logout).', 405, { Allow: 'POST' }),
);
