import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoContext, type DemoEnv, flash, messages, page } from '../context.js';

/** "Your sessions": see where you are signed in, sign out one device or all the others. */
export const account = new Hono<DemoEnv>();

async function signedInUser(c: DemoContext) {
  return c.var.session.get('user');
}

function timeAgo(then: number, now: number): string {
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

account.get('/account/sessions', async (c) => {
  const user = await signedInUser(c);
  if (user === undefined) return c.redirect('/login', 302);
  const list = await c.var.sessionManager.listSessions(user.email, { current: c.var.session });
  const now = Date.now();
  const t = await messages(c);
  return page(
    c,
    t.yourSessions,
    html`<div class="card">
      <h1>${t.yourSessions}</h1>
      <p class="muted">Everywhere ${user.name} is signed in. Signing a device out ends its session at once.</p>
      <table>
        <thead><tr><th>Device</th><th>Last seen</th><th></th></tr></thead>
        <tbody>
          ${list.map(
            (entry) => html`<tr data-session="${entry.handle}">
              <td>${entry.device ?? 'Unknown device'} ${entry.current ? html`<strong>(This device)</strong>` : ''}</td>
              <td>${timeAgo(entry.lastSeenAt, now)}</td>
              <td>
                ${
                  entry.current
                    ? ''
                    : html`<form method="post" action="/account/sessions/revoke">
                        <input type="hidden" name="handle" value="${entry.handle}" />
                        <button type="submit" class="secondary">Sign out</button>
                      </form>`
                }
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
      <form method="post" action="/account/sessions/revoke-others">
        <button type="submit">Sign out everywhere else</button>
      </form>
    </div>`,
  );
});

account.post('/account/sessions/revoke', async (c) => {
  const user = await signedInUser(c);
  if (user === undefined) return c.redirect('/login', 302);
  const form = await c.req.parseBody();
  const revoked = await c.var.sessionManager.revokeSession(user.email, String(form.handle ?? ''));
  await flash(
    c,
    revoked ? 'success' : 'error',
    revoked ? 'That device was signed out.' : 'No such session.',
  );
  return c.redirect('/account/sessions', 302);
});

account.post('/account/sessions/revoke-others', async (c) => {
  const user = await signedInUser(c);
  if (user === undefined) return c.redirect('/login', 302);
  const count = await c.var.sessionManager.revokeAllSessions(user.email, { except: c.var.session });
  await flash(c, 'success', `Signed out ${count} other ${count === 1 ? 'session' : 'sessions'}.`);
  return c.redirect('/account/sessions', 302);
});
