import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDemo } from './behaviour.js';
import { launchChromium } from './chromium.js';
import { startNodeDemo } from './start-node.js';

// Screenshots of every page the walk visits: test artifacts, and the README's picture.
const shots = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

describe('a person using the demo in Chromium', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    demo = await startNodeDemo({ HOST: 'localhost' });
    // Same host as the server's own URL, so the CSRF origin check sees the same origin.
    origin = demo.origin.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const snap = (page: Page, name: string) =>
    page.screenshot({ path: `${shots}${name}.png`, fullPage: true });

  it('logs in, shops, fills the wizard with back and forth, sets preferences, logs out', {
    timeout: 120_000,
  }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${origin}/`);
    expect(await page.textContent('#visits')).toBe('You have visited this page 1 times');
    await page.reload();
    expect(await page.textContent('#visits')).toBe('You have visited this page 2 times');
    await snap(page, '01-counter');

    await page.goto(`${origin}/login`);
    await page.fill('#email', 'test@example.com');
    await page.fill('#password', 'wrong-password');
    await page.click('main button[type=submit]');
    expect(await page.textContent('[role=alert]')).toBe('Invalid credentials');
    await page.fill('#email', 'test@example.com');
    await page.fill('#password', 'password123');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${origin}/dashboard`);
    expect(await page.textContent('h1')).toBe('Welcome to your dashboard, Test User!');
    expect(await page.textContent('[role=status]')).toBe('Welcome back, Test User!');
    await snap(page, '02-dashboard');

    await page.goto(`${origin}/shop`);
    await page.click('button[aria-label="Add Laptop"]');
    await page.waitForFunction(
      () => document.querySelector('#cart-total')?.textContent === '999.99',
    );
    await page.click('button[aria-label="Add Headphones"]');
    await page.click('button[aria-label="Add Headphones"]');
    await page.waitForFunction(
      () => document.querySelector('#cart-total')?.textContent === '1199.97',
    );
    expect(await page.textContent('#cart-lines')).toContain('Headphones2199.98');
    await snap(page, '03-cart');
    await page.reload(); // the cart lives in the session, not in the page
    await page.waitForFunction(
      () => document.querySelector('#cart-total')?.textContent === '1199.97',
    );

    await page.goto(`${origin}/wizard`);
    await page.fill('#name', 'Ada');
    await page.fill('#email', 'ada@example.com');
    await page.click('button[value=next]');
    await page.selectOption('#plan', 'Team');
    await page.click('button[value=back]');
    expect(await page.inputValue('#name')).toBe('Ada'); // back keeps step 1
    await page.click('button[value=next]');
    expect(await page.inputValue('#plan')).toBe('Team'); // ... and step 2
    await page.click('button[value=next]');
    await page.fill('#notes', 'Invoice monthly');
    await page.click('button[value=next]');
    await page.waitForURL(`${origin}/wizard/review`);
    expect(await page.textContent('[data-field=name]')).toBe('Ada');
    expect(await page.textContent('[data-field=plan]')).toBe('Team');
    expect(await page.textContent('[data-field=notes]')).toBe('Invoice monthly');
    await snap(page, '04-wizard-review');
    await page.goBack(); // the browser's own back button
    expect(await page.inputValue('#notes')).toBe('Invoice monthly');
    await page.goForward();
    await page.click('main button[type=submit]');
    expect(await page.textContent('[role=status]')).toContain(
      'Thanks, Ada: your Team request was submitted.',
    );

    await page.goto(`${origin}/preferences`);
    expect(await page.getAttribute('body', 'class')).toBe('theme-light');
    await page.selectOption('#theme', 'dark');
    await page.selectOption('#language', 'fr');
    await page.click('main button[type=submit]');
    expect(await page.textContent('[role=status]')).toBe('Preferences saved.');
    expect(await page.getAttribute('body', 'class')).toBe('theme-dark');
    await page.goto(`${origin}/`);
    expect(await page.getAttribute('body', 'class')).toBe('theme-dark'); // every page, every visit
    expect(await page.inputValue('#theme').catch(() => 'n/a')).toBe('n/a');
    await page.goto(`${origin}/preferences`);
    expect(await page.inputValue('#language')).toBe('fr');
    await snap(page, '05-preferences-dark');

    await page.goto(`${origin}/dashboard`);
    await page.click('header form[action="/logout"] button');
    await page.waitForURL(`${origin}/login`);
    expect(await page.textContent('[role=status]')).toBe('You have been logged out.');
    await page.goto(`${origin}/dashboard`);
    await page.waitForURL(`${origin}/login`);
    await snap(page, '06-logged-out');
    await context.close();
  });

  it("lists the user's sessions, and a device signed out from another lands on /login", {
    timeout: 120_000,
  }, async () => {
    const login = async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/login`);
      await page.fill('#email', 'test@example.com');
      await page.fill('#password', 'password123');
      await page.click('main button[type=submit]');
      await page.waitForURL(`${origin}/dashboard`);
      return { context, page };
    };
    const laptop = await login();
    const phone = await login();
    const thirdDevice = await login();

    await laptop.page.goto(`${origin}/account/sessions`);
    const rows = laptop.page.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await laptop.page.locator('tbody tr', { hasText: 'This device' }).count()).toBe(1);
    await snap(laptop.page, '07-account-sessions');

    // The phone's row: the phone's own page tells us its handle (marked "This device" there).
    await phone.page.goto(`${origin}/account/sessions`);
    const phoneHandle = await phone.page
      .locator('tbody tr', { hasText: 'This device' })
      .getAttribute('data-session');
    await laptop.page.click(`tr[data-session="${phoneHandle}"] button`);
    expect(await laptop.page.textContent('[role=status]')).toBe('That device was signed out.');
    expect(await laptop.page.locator(`tr[data-session="${phoneHandle}"]`).count()).toBe(0);

    await phone.page.goto(`${origin}/dashboard`);
    await phone.page.waitForURL(`${origin}/login`);

    // "Sign out everywhere else" ends the third device too, and keeps this one.
    await laptop.page.click('form[action="/account/sessions/revoke-others"] button');
    expect(await laptop.page.textContent('[role=status]')).toMatch(
      /^Signed out \d+ other sessions?\.$/,
    );
    expect(await laptop.page.locator('tbody tr').count()).toBe(1);
    await thirdDevice.page.goto(`${origin}/dashboard`);
    await thirdDevice.page.waitForURL(`${origin}/login`);
    await laptop.page.goto(`${origin}/dashboard`);
    expect(await laptop.page.textContent('h1')).toBe('Welcome to your dashboard, Test User!');
    for (const device of [laptop, phone, thirdDevice]) await device.context.close();
  });

  it('keeps the session cookie out of reach of page scripts (HttpOnly)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({
      name: '__Host-sid',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
    });
    await context.close();
  });

  const logIn = async (page: Page, options: { remember: boolean }) => {
    await page.goto(`${origin}/login`);
    await page.fill('#email', 'test@example.com');
    await page.fill('#password', 'password123');
    if (options.remember) await page.check('#remember');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${origin}/dashboard`);
  };

  it('H12: Chromium keeps __Host-sid on http://localhost and refuses a __Host- cookie with a Domain or a longer Path', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, { remember: false });
    const [session] = await context.cookies();
    expect(session).toMatchObject({ name: '__Host-sid', path: '/', secure: true });
    expect(session?.domain).toBe('localhost'); // host-only: no Domain attribute was sent
    // What a sibling subdomain would try, from a page script: the prefix rules hold here too.
    const attempts = [
      '__Host-probe=ok; Path=/; Secure',
      '__Host-withDomain=x; Domain=localhost; Path=/; Secure',
      '__Host-longerPath=x; Path=/dashboard; Secure',
      'sid=tossed; Path=/dashboard',
    ];
    const kept = await page.evaluate((lines) => {
      for (const line of lines) {
        // biome-ignore lint/suspicious/noDocumentCookie: writing raw cookie lines is the attack under test
        document.cookie = line;
      }
      return document.cookie;
    }, attempts);
    expect(kept).toContain('__Host-probe=ok');
    expect(kept).not.toContain('__Host-withDomain');
    expect(kept).not.toContain('__Host-longerPath');
    // The tossed `sid` rides along to /dashboard, and the server ignores it.
    await page.goto(`${origin}/dashboard`);
    expect(await page.textContent('h1')).toBe('Welcome to your dashboard, Test User!');
    await context.close();
  });

  it('F8: remember me: unticked, the cookie ends with the browser; ticked, it is permanent', async () => {
    for (const remember of [false, true]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await logIn(page, { remember });
      const session = (await context.cookies()).find((cookie) => cookie.name === '__Host-sid');
      // Playwright reports a browser-session cookie as expires -1, a permanent one in epoch seconds.
      if (remember) expect(session?.expires).toBeGreaterThan(Date.now() / 1000);
      else expect(session?.expires).toBe(-1);
      await context.close();
    }
  });

  it('F9: the chosen language applies to the page: lang attribute, navigation, headings', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/preferences`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.selectOption('#language', 'de');
    await page.click('main button[type=submit]');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.textContent('h1')).toBe('Einstellungen');
    await page.goto(`${origin}/`);
    expect(await page.textContent('h1')).toBe('Besuchszähler');
    expect(await page.textContent('header a[href="/shop"]')).toBe('Shop');
    expect(await page.textContent('header a[href="/login"]')).toBe('Anmelden');
    await page.goto(`${origin}/preferences`);
    await page.selectOption('#language', 'fr');
    await page.click('main button[type=submit]');
    await page.goto(`${origin}/shop`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('h2')).toBe('Votre panier');
    await snap(page, '08-shop-in-french');
    await context.close();
  });

  it('H11: logging out is a POST from the page; following a GET /logout link keeps you signed in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, { remember: false });
    const link = await page.goto(`${origin}/logout`);
    expect(link?.status()).toBe(405);
    await page.goto(`${origin}/dashboard`);
    expect(await page.textContent('h1')).toBe('Welcome to your dashboard, Test User!');
    await page.click('header form[action="/logout"] button');
    await page.waitForURL(`${origin}/login`);
    expect(await page.textContent('[role=status]')).toBe('You have been logged out.');
    await page.goto(`${origin}/dashboard`);
    await page.waitForURL(`${origin}/login`);
    await context.close();
  });
  it('F7: forgot password in the browser: the link resets it once, the old device is signed out', {
    timeout: 120_000,
  }, async () => {
    const account = 'reset@example.com';
    const signIn = async (page: Page, password: string) => {
      await page.goto(`${origin}/login`);
      await page.fill('#email', account);
      await page.fill('#password', password);
      await page.click('main button[type=submit]');
    };
    const oldDevice = await browser.newContext();
    const oldPage = await oldDevice.newPage();
    await signIn(oldPage, 'password123');
    await oldPage.waitForURL(`${origin}/dashboard`);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/forgot`);
    await page.fill('#email', account);
    await page.click('main button[type=submit]');
    await page.click('#reset-link');
    expect(await page.textContent('h1')).toBe('Choose a new password');
    const resetUrl = page.url();
    await snap(page, '08-reset-password');
    await page.fill('#password', 'browser-secret-1');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${origin}/login`);
    expect(await page.textContent('[role=status]')).toContain('Your password was changed.');

    await page.goto(resetUrl); // replayed
    expect(await page.textContent('[role=alert]')).toBe('This reset link was already used.');
    await oldPage.goto(`${origin}/dashboard`);
    await oldPage.waitForURL(`${origin}/login`);

    // Signed in with the new password, change it back while the login is fresh.
    await signIn(page, 'browser-secret-1');
    await page.waitForURL(`${origin}/dashboard`);
    await page.goto(`${origin}/account/password`);
    await page.fill('#password', 'password123');
    await page.click('main button[type=submit]');
    await page.waitForURL(`${origin}/dashboard`);
    expect(await page.textContent('[role=status]')).toMatch(/^Password changed\./);
    await oldDevice.close();
    await context.close();
  });
});
