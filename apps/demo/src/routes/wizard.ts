import { Hono } from 'hono';
import { html } from 'hono/html';
import { type DemoContext, type DemoEnv, flash, page } from '../context.js';
import type { WizardAnswers } from '../session-types.js';

/** A three-step form: each step's answers live in the session, so going back loses nothing. */
export const wizard = new Hono<DemoEnv>();

const steps = [
  { title: 'About you', fields: ['name', 'email'] },
  { title: 'Your plan', fields: ['plan'] },
  { title: 'Anything else?', fields: ['notes'] },
] as const;

type Field = (typeof steps)[number]['fields'][number];

const plans = ['Starter', 'Team', 'Enterprise'];

function fieldInput(field: Field, answers: WizardAnswers) {
  const value = answers[field] ?? '';
  switch (field) {
    case 'plan':
      return html`<label for="plan">Plan</label><select id="plan" name="plan">
        ${plans.map((plan) => html`<option ${plan === value ? 'selected' : ''}>${plan}</option>`)}</select>`;
    case 'notes':
      return html`<label for="notes">Notes</label><textarea id="notes" name="notes" rows="3">${value}</textarea>`;
    default:
      return html`<label for="${field}">${field === 'name' ? 'Name' : 'Email'}</label>
        <input id="${field}" name="${field}" value="${value}" ${field === 'email' ? 'type=email' : ''} />`;
  }
}

function stepNumber(c: DemoContext): number | undefined {
  const n = Number(c.req.param('step'));
  return Number.isInteger(n) && n >= 1 && n <= steps.length ? n : undefined;
}

wizard.get('/wizard', (c) => c.redirect('/wizard/1', 302));

wizard.get('/wizard/review', async (c) => {
  const answers = (await c.var.session.get('wizard')) ?? {};
  return page(
    c,
    'Review',
    html`<div class="card">
      <h1>Review your answers</h1>
      <table>
        ${steps.flatMap((step) => step.fields).map((field) => html`<tr><th>${field}</th><td data-field="${field}">${answers[field] ?? ''}</td></tr>`)}
      </table>
      <form method="post" action="/wizard/submit">
        <a href="/wizard/${steps.length}">Back</a>
        <button type="submit">Submit</button>
      </form>
    </div>`,
  );
});

wizard.post('/wizard/submit', async (c) => {
  const answers = (await c.var.session.get('wizard')) ?? {};
  await c.var.session.delete('wizard');
  await flash(
    c,
    'success',
    `Thanks, ${answers.name ?? 'friend'}: your ${answers.plan ?? ''} request was submitted.`,
  );
  return c.redirect('/', 302);
});

wizard.get('/wizard/:step', async (c) => {
  const n = stepNumber(c);
  if (n === undefined) return c.notFound();
  const step = steps[n - 1] as (typeof steps)[number];
  const answers = (await c.var.session.get('wizard')) ?? {};
  return page(
    c,
    `Step ${n}`,
    html`<div class="card">
      <h1>Step ${n} of ${steps.length}: ${step.title}</h1>
      <form method="post" action="/wizard/${n}">
        ${step.fields.map((field) => fieldInput(field, answers))}
        ${n > 1 ? html`<button type="submit" name="action" value="back" class="secondary">Back</button>` : ''}
        <button type="submit" name="action" value="next">${n === steps.length ? 'Review' : 'Next'}</button>
      </form>
    </div>`,
  );
});

wizard.post('/wizard/:step', async (c) => {
  const n = stepNumber(c);
  if (n === undefined) return c.notFound();
  const step = steps[n - 1] as (typeof steps)[number];
  const form = await c.req.parseBody();
  const answers = (await c.var.session.get('wizard')) ?? {};
  for (const field of step.fields) answers[field] = String(form[field] ?? '').slice(0, 500);
  await c.var.session.set('wizard', answers);
  if (form.action === 'back') return c.redirect(`/wizard/${n - 1}`, 302);
  return c.redirect(n === steps.length ? '/wizard/review' : `/wizard/${n + 1}`, 302);
});
