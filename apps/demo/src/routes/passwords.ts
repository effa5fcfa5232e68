import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoContext, type DemoEnv, flash, page } from '../context.js';
import { accountExists, authenticate, setPassword } from '../users.js';

/**
 * Password reset by a sealed, expiring, single-use link, and password change behind a fresh
 * login: both end every other session of the user and regenerate the current one.
 */
export const passwords = new Hono<DemoEnv>();

const RESET = 'password-reset';
/** A reset link lasts 15 minutes. */
const RESET_SECONDS = 15 * 60;
/** Changing the password needs a login (or re-entered password) within 10 minutes. */
export const FRESH_SECONDS = 10 * 60;
const MIN_PASSWORD = 8;

function problem(c: DemoContext, title: string, text: string) {
  return page(
    c,
    title,
    html`<div class="card"><h1>${title}</h1><p class="notice error" role="alert">${text}</p>
      <p><a href="/forgot">Ask for a new link</a></p></div>`,
    400,
  );
}

const refusals = {
  expired: 'This reset link has expired.',
  invalid: 'This reset link is not valid.',
  purpose: 'This link is not a password-reset link.',
  used: 'This reset link was already used.',
} as const;

passwords.get('/forgot', (c) =>
  page(
    c,
    'Forgot password',
    html`<div class="card"><h1>Forgot password</h1>
      <form method="post" action="/forgot">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <button type="submit">Send reset link</button>
      </form></div>`,
  ),
);

passwords.post('/forgot', async (c) => {
  const email = String((await c.req.parseBody()).email ?? '')
    .trim()
    .toLowerCase();
  let link = '';
  if (accountExists(email)) {
    const token = await c.var.sessionManager.tokens.seal(
      { email },
      { purpose: RESET, expiresIn: RESET_SECONDS, once: true },
    );
    link = `/reset?token=${encodeURIComponent(token)}`;
  }
  // A real app emails the link and shows the same sentence whether the account exists or not.
  return page(
    c,
    'Check your email',
    html`<div class="card"><h1>Check your email</h1>
      <p>If an account exists for that address, we sent it a link valid for 15 minutes.</p>
      ${link === '' ? '' : html`<p class="muted">Demo only (a real app emails it): <a id="reset-link" href="${link}">reset your password</a></p>`}
    </div>`,
  );
});

passwords.get('/reset', async (c) => {
  const token = c.req.query('token') ?? '';
  // Peek: showing the form does not use the link up; submitting it does.
  const opened = await c.var.sessionManager.tokens.open(token, { purpose: RESET, peek: true });
  if (!opened.ok) return problem(c, 'Reset password', refusals[opened.reason]);
  return page(
    c,
    'Reset password',
    html`<div class="card"><h1>Choose a new password</h1>
      <form method="post" action="/reset">
        <input type="hidden" name="token" value="${token}" />
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" required />
        <button type="submit">Set password</button>
      </form></div>`,
  );
});

passwords.post('/reset', async (c) => {
  const form = await c.req.parseBody();
  const password = String(form.password ?? '');
  if (password.length < MIN_PASSWORD) {
    return problem(c, 'Reset password', `Passwords have at least ${MIN_PASSWORD} characters.`);
  }
  const opened = await c.var.sessionManager.tokens.open<{ email: string }>(
    String(form.token ?? ''),
    { purpose: RESET },
  );
  if (!opened.ok) return problem(c, 'Reset password', refusals[opened.reason]);
  const { email } = opened.value;
  await setPassword(email, password);
  const session = c.var.session;
  // Whoever held the old password is signed out everywhere; this browser gets a new ID.
  await c.var.sessionManager.revokeAllSessions(email, { except: session });
  await session.delete('user');
  await session.regenerate();
  await flash(c, 'success', 'Your password was changed. Sign in with the new one.');
  return c.redirect('/login', 302);
});

async function signedIn(c: DemoContext) {
  return c.var.session.get('user');
}

passwords.get('/account/password', async (c) => {
  if ((await signedIn(c)) === undefined) return c.redirect('/login', 302);
  if (!(await c.var.session.isFresh(FRESH_SECONDS))) return c.redirect('/reauth', 302);
  return page(
    c,
    'Change password',
    html`<div class="card"><h1>Change password</h1>
      <form method="post" action="/account/password">
        <label for="password">New password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD}" required />
        <button type="submit">Change password</button>
      </form></div>`,
  );
});

passwords.post('/account/password', async (c) => {
  const user = await signedIn(c);
  if (user === undefined) return c.redirect('/login', 302);
  if (!(await c.var.session.isFresh(FRESH_SECONDS))) return c.redirect('/reauth', 302);
  const password = String((await c.req.parseBody()).password ?? '');
  if (password.length < MIN_PASSWORD) {
    return problem(c, 'Change password', `Passwords have at least ${MIN_PASSWORD} characters.`);
  }
  await setPassword(user.email, password);
  const revoked = await c.var.sessionManager.revokeAllSessions(user.email, {
    except: c.var.session,
  });
  await c.var.session.regenerate();
  await flash(c, 'success', `Password changed. Signed out ${revoked} other sessions.`);
  return c.redirect('/dashboard', 302);
});

passwords.get('/reauth', async (c) => {
  if ((await signedIn(c)) === undefined) return c.redirect('/login', 302);
  return page(
    c,
    'Confirm your password',
    html`<div class="card"><h1>Confirm your password</h1>
      <p>Changing your password needs a recent sign-in.</p>
      <form method="post" action="/reauth">
        <label for="password">Current password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Confirm</button>
      </form></div>`,
  );
});

passwords.post('/reauth', async (c) => {
  const user = await signedIn(c);
  if (user === undefined) return c.redirect('/login', 302);
  const attempt = c.var.loginThrottle.begin({ account: user.email, client: c.var.clientAddress });
  if (!attempt.allowed) return c.redirect('/reauth', 302);
  const ok = await authenticate(user.email, String((await c.req.parseBody()).password ?? ''));
  if (ok === undefined) {
    await flash(c, 'error', 'Wrong password.');
    return c.redirect('/reauth', 302);
  }
  attempt.succeeded();
  await c.var.session.markAuthenticated();
  await c.var.session.regenerate();
  return c.redirect('/account/password', 302);
});
