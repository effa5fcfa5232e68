import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from './helpers/test-worker.js';

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker({
    entry: 'readme-example.ts',
    bindings: { SESSION_SECRET: 'readme-example-secret-0123456789abcdef' },
  });
});
afterAll(async () => {
  await worker?.dispose();
});

async function browse(path: string, cookie: string, method = 'GET') {
  const response = await worker.fetch(path, { method, headers: cookie ? { cookie } : {} });
  const setCookie = response.headers.get('set-cookie');
  const next =
    setCookie === null
      ? cookie
      : /Max-Age=0/.test(setCookie)
        ? ''
        : (setCookie.split(';')[0] as string);
  return { text: await response.text(), cookie: next };
}

describe('the README example, in workerd', () => {
  it('is the code the README shows', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = await readFile(new URL('./worker/readme-example.ts', import.meta.url), 'utf8');
    const body = example.slice(example.indexOf('interface Data'));
    expect(readme).toContain(body.trim());
  });

  it('counts, logs in with a new ID, and logs out', async () => {
    let page = await browse('/', '');
    expect(page.text).toBe('Hello stranger, visit 1');
    page = await browse('/', page.cookie);
    expect(page.text).toBe('Hello stranger, visit 2');
    const anonymous = page.cookie;
    page = await browse('/login?user=ada', page.cookie, 'POST');
    expect(page.cookie).not.toBe(anonymous);
    page = await browse('/', page.cookie);
    expect(page.text).toBe('Hello ada, visit 3');
    const loggedIn = page.cookie;
    page = await browse('/logout', page.cookie, 'POST');
    expect(page.cookie).toBe('');
    expect((await browse('/', loggedIn)).text).toBe('Hello stranger, visit 1');
  });
});
