import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built server the way `npm start` does and talks to it over real HTTP.
const serverPath = fileURLToPath(new URL('../dist/server.js', import.meta.url));
let server: ChildProcess;
let origin = '';

beforeAll(async () => {
  server = spawn(process.execPath, [serverPath], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      SESSION_SECRET: 'example-test-secret-0123456789abcdef',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  server.stdout?.setEncoding('utf8');
  server.stdout?.on('data', (chunk: string) => {
    output += chunk;
  });
  const exited = once(server, 'exit').then(([code]) => {
    throw new Error(`the server exited with code ${code} before listening`);
  });
  while (!/listening on (\S+)/.test(output)) {
    await Promise.race([once(server.stdout as NodeJS.ReadableStream, 'data'), exited]);
  }
  exited.catch(() => {}); // the server exits when afterAll stops it
  const port = /localhost:(\d+)/.exec(output)?.[1];
  origin = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('README quick start: the visit counter', () => {
  it('counts visits per browser over real HTTP', async () => {
    let cookie = '';
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${origin}/`, { headers: cookie ? { cookie } : {} });
      bodies.push((await response.text()).trim());
      const setCookie = response.headers.get('set-cookie');
      if (setCookie !== null) cookie = setCookie.split(';')[0] as string;
    }
    expect(bodies).toEqual([
      'You have visited this page 1 times',
      'You have visited this page 2 times',
      'You have visited this page 3 times',
    ]);
    // Another browser starts from one.
    expect((await (await fetch(`${origin}/`)).text()).trim()).toBe(
      'You have visited this page 1 times',
    );
  });

  it('sets a secure, HttpOnly, SameSite=Lax cookie once and Vary: Cookie on every counted response', async () => {
    const first = await fetch(`${origin}/`);
    expect(first.headers.get('set-cookie')).toMatch(
      /^sid=[\w-]{43}\.[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(first.headers.get('vary')).toBe('Cookie');
    const cookie = (first.headers.get('set-cookie') as string).split(';')[0] as string;
    const second = await fetch(`${origin}/`, { headers: { cookie } });
    expect(second.headers.get('set-cookie')).toBeNull();
    expect(second.headers.get('vary')).toBe('Cookie');
  });

  it('answers 404 for other paths without touching the session', async () => {
    const response = await fetch(`${origin}/favicon.ico`);
    expect(response.status).toBe(404);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('vary')).toBeNull();
  });
});
