// The first hour of a new user, in CI: every public package packed as npm would publish it,
// installed from the tarballs into scratch apps outside the workspace, the examples/ folder
// (the code the READMEs show) typechecked and run on Node, Bun, Deno, workerd and Next.js,
// each with a real request round trip. Run: npm run test:consumer (`-- --keep` keeps the
// temporary folder).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBrowser } from './browser.mjs';
import { childEnv, freePort, run, startServer } from './processes.mjs';
import {
  installExamples,
  MINIMUM_TYPESCRIPT,
  packAll,
  repoDir,
  scratchDir,
} from './scratch-app.mjs';
import { tarballProblems } from './tarball-checks.mjs';
import { startWorker } from './workerd.mjs';

/** `--keep`: leave the scratch folder for a look (its path is printed). */
const keep = process.argv.includes('--keep');
const SECRET = 'consumer-test-secret-0123456789abcdefghij';
let dir;
let app;
let tarballs;
let expressApp;
let nextBuild;
const running = [];

/** The examples' commands, as examples/package.json spells them. */
let scripts;
/** bun, deno and the app's own tools: the app's .bin first, then the workspace's (runtimes). */
let PATH;

function command(script) {
  const line = scripts[script];
  assert.ok(line, `examples/package.json has no script ${script}`);
  const [executable, ...args] = line.split(/\s+/);
  return { executable, args };
}

async function start(script, { cwd = app, env = { SESSION_SECRET: SECRET } } = {}) {
  const { executable, args } = command(script);
  const server = await startServer(executable, args, {
    cwd,
    env: { PATH: binPath(cwd), ...env },
    port: await freePort(),
  });
  running.push(server);
  return server;
}

function binPath(cwd) {
  return [
    join(cwd, 'node_modules/.bin'),
    join(repoDir, 'node_modules/.bin'),
    process.env.PATH,
  ].join(delimiter);
}

/** Counter 1, then 2 with the cookie; a visitor without the cookie starts at 1 again. */
async function assertCounter(origin, text) {
  const browser = createBrowser(origin);
  const first = await browser.fetch('/');
  assert.equal(first.status, 200);
  assert.match(await first.text(), text(1));
  assert.ok(browser.cookie('sid'), 'the first write sets the sid cookie');
  assert.match(first.headers.get('set-cookie') ?? '', /HttpOnly/i);
  assert.match(await browser.text('/'), text(2));
  assert.match(await createBrowser(origin).text('/'), text(1));
  return browser;
}

/** Login regenerates the ID and keeps the data; the ID from before finds no session (`stale`). */
async function assertLogin(browser, { login, expect, stale }) {
  const before = browser.cookie('sid');
  const response = await browser.fetch(login, { method: 'POST' });
  await response.arrayBuffer();
  assert.ok(response.status < 400, `login answered ${response.status}`);
  const after = browser.cookie('sid');
  assert.ok(after && after !== before, 'login sets a new session ID');
  assert.match(await browser.text('/'), expect);
  if (stale) {
    const replay = createBrowser(browser.origin);
    replay.jar.set('sid', before);
    assert.match(await replay.text('/'), stale, 'the ID from before the login is dead');
  }
  return before;
}

/**
 * A second app with only what the Express example imports (core, memory, node, express) and
 * tsx to run it: the proof that Express users install no Hono.
 */
async function installExpressOnly() {
  const target = join(dir, 'express-only');
  await mkdir(join(target, 'express'), { recursive: true });
  const tarball = (name) => `file:${tarballs.find((entry) => entry.name === name).tarball}`;
  const examples = JSON.parse(await readFile(join(repoDir, 'examples/package.json'), 'utf8'));
  await writeFile(
    join(target, 'package.json'),
    JSON.stringify({
      private: true,
      type: 'module',
      dependencies: {
        '@fetch-session/core': tarball('@fetch-session/core'),
        '@fetch-session/memory': tarball('@fetch-session/memory'),
        '@fetch-session/node': tarball('@fetch-session/node'),
        express: examples.dependencies.express,
      },
      devDependencies: { tsx: examples.devDependencies.tsx },
      allowScripts: { esbuild: true },
    }),
  );
  await cp(join(repoDir, 'examples/express/server.ts'), join(target, 'express/server.ts'));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: target,
  });
  return target;
}

before(async () => {
  dir = await scratchDir();
  tarballs = await packAll(dir);
  scripts = JSON.parse(await readFile(join(repoDir, 'examples/package.json'), 'utf8')).scripts;
  // allSettled: when one install fails, the other must finish before `after` removes the folder.
  const installs = await Promise.allSettled([installExamples(dir, tarballs), installExpressOnly()]);
  for (const install of installs) if (install.status === 'rejected') throw install.reason;
  [app, expressApp] = installs.map((install) => install.value);
  PATH = binPath(app);
  // next build is the slowest step: it runs while the other runtimes are tested.
  nextBuild = run(join(app, 'node_modules/.bin/next'), ['build', 'nextjs'], {
    cwd: app,
    env: childEnv({ PATH, SESSION_SECRET: SECRET, NODE_ENV: 'production' }),
  });
  nextBuild.catch(() => {}); // reported by the Next.js test
});

after(async () => {
  await Promise.allSettled(running.map((server) => server.stop()));
  await nextBuild?.catch(() => {});
  if (dir && !keep) await rm(dir, { recursive: true, force: true });
  else if (dir) console.log(`scratch folder kept: ${dir}`);
});

describe('tarballs', () => {
  it('each has LICENSE, README, metadata, requirements and source maps that resolve', async () => {
    for (const { name, files } of tarballs) {
      const problems = await tarballProblems(join(app, 'node_modules', name), files);
      assert.deepEqual(problems, [], name);
    }
  });

  it('Express users install no Hono: the Express example runs on core, memory, node and express alone', async () => {
    assert.ok(existsSync(join(expressApp, 'node_modules/@fetch-session/node')));
    assert.ok(!existsSync(join(expressApp, 'node_modules/hono')), 'hono was installed');
    assert.ok(!existsSync(join(expressApp, 'node_modules/@hono')), '@hono/* was installed');
    const server = await start('start:express', { cwd: expressApp });
    const browser = await assertCounter(
      server.origin,
      (n) => new RegExp(`Hello stranger, you have visited this page ${n} times`),
    );
    await assertLogin(browser, {
      login: '/login',
      expect: /Hello Ada, you have visited this page 3 times/,
      stale: /Hello stranger, you have visited this page 1 times/,
    });
  });
});

describe('types', () => {
  const tsc = (version) =>
    join(app, 'node_modules', version ? `typescript-${version}` : 'typescript', 'bin/tsc');

  it('the Node, Bun and Upstash examples typecheck against the tarballs', async () => {
    await run(process.execPath, [tsc(), '-p', 'tsconfig.json'], { cwd: app });
  });

  it('the Workers examples (KV, Durable Objects) typecheck with @cloudflare/workers-types', async () => {
    await run(process.execPath, [tsc(), '-p', 'cloudflare-workers/tsconfig.json'], { cwd: app });
    await run(process.execPath, [tsc(), '-p', 'cloudflare-durable-objects/tsconfig.json'], {
      cwd: app,
    });
  });

  it('the Deno example passes deno check', async () => {
    await run('deno', ['check', 'deno/server.ts'], { cwd: app, env: childEnv({ PATH }) });
  });

  it(`the declarations are valid for TypeScript ${MINIMUM_TYPESCRIPT} (skipLibCheck off)`, async () => {
    const checkDir = join(app, 'declarations-check');
    await mkdir(checkDir);
    const entries = [];
    // Left out: @fetch-session/next (next's own .d.ts do not pass with skipLibCheck off) and
    // @fetch-session/durable-objects (its types need @cloudflare/workers-types: checked with
    // them in the Durable Objects example). Entries without types (schema.sql) are data.
    const skipped = ['@fetch-session/next', '@fetch-session/durable-objects'];
    for (const { name } of tarballs.filter((entry) => !skipped.includes(entry.name))) {
      const manifest = JSON.parse(
        await readFile(join(app, 'node_modules', name, 'package.json'), 'utf8'),
      );
      for (const [key, target] of Object.entries(manifest.exports))
        if (typeof target === 'object' && target?.types) entries.push(name + key.slice(1));
    }
    await writeFile(
      join(checkDir, 'entries.ts'),
      entries.map((entry, i) => `export * as entry${i} from '${entry}';\n`).join(''),
    );
    await writeFile(
      join(checkDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
        },
        files: ['entries.ts'],
      }),
    );
    await run(process.execPath, [tsc(MINIMUM_TYPESCRIPT), '-p', checkDir], { cwd: app });
  });
});

describe('Node.js', () => {
  it('Hono on @hono/node-server: counter, login with a new ID, logout', async () => {
    const server = await start('start:node-hono');
    const text = (n) => new RegExp(`Hello stranger, you have visited this page ${n} times`);
    const browser = await assertCounter(server.origin, text);
    await assertLogin(browser, {
      login: '/login',
      expect: /Hello Ada, you have visited this page 3 times/,
    });
    const logout = await browser.fetch('/logout', { method: 'POST' });
    assert.equal(logout.status, 303);
    assert.match(
      await browser.text('/'),
      /^Signed out\. Hello stranger, you have visited this page 1 times$/,
    );
  });

  it('node:http with withNodeSession: counter', async () => {
    const server = await start('start:node-http');
    await assertCounter(
      server.origin,
      (n) => new RegExp(`^You have visited this page ${n} times$`),
    );
  });

  it('the filesystem store: counter, and one session file on disk', async () => {
    const directory = join(app, 'filesystem-sessions');
    const server = await start('start:filesystem', {
      env: { SESSION_SECRET: SECRET, SESSION_FILE_DIR: directory },
    });
    await assertCounter(
      server.origin,
      (n) => new RegExp(`^You have visited this page ${n} times$`),
    );
    // One file per session written (the counter's visitors), named by a hash, never the ID.
    const files = (await readdir(join(directory, 'sessions'))).filter((n) => n.endsWith('.json'));
    assert.ok(files.length > 0, 'sessions are kept on disk');
    for (const name of files) assert.match(name, /^[0-9a-f]{64}\.json$/);
  });

  it('a fetch handler on node:http with serveFetch: counter', async () => {
    const server = await start('start:node-fetch');
    await assertCounter(
      server.origin,
      (n) => new RegExp(`^You have visited this page ${n} times$`),
    );
  });
});

describe('Bun', () => {
  it('Bun.serve with sessions.wrap: counter', async () => {
    const server = await start('start:bun');
    await assertCounter(
      server.origin,
      (n) => new RegExp(`^You have visited this page ${n} times$`),
    );
  });
});

describe('Bun with bun:sqlite', () => {
  it('the SQLite store on Bun: counter', async () => {
    const server = await start('start:bun-sqlite', {
      env: { SESSION_SECRET: SECRET, SESSION_DB: join(app, 'bun-sessions.db') },
    });
    await assertCounter(
      server.origin,
      (n) => new RegExp(`^You have visited this page ${n} times$`),
    );
  });
});

describe('Deno', () => {
  it('Deno.serve with the cookie store: counter and a stored theme, all in the cookie', async () => {
    const server = await start('start:deno', { env: { COOKIE_SECRET: SECRET } });
    const browser = await assertCounter(
      server.origin,
      (n) => new RegExp(`^Theme light, you have visited this page ${n} times$`),
    );
    assert.match(
      await browser.text('/?theme=dark'),
      /^Theme dark, you have visited this page 3 times$/,
    );
    assert.match(await browser.text('/'), /^Theme dark, you have visited this page 4 times$/);
  });
});

describe('Cloudflare Workers (workerd)', () => {
  it('the Worker from wrangler.toml and .dev.vars, KV store: counter, login, logout', async () => {
    const worker = await startWorker(join(app, 'cloudflare-workers'), await freePort());
    running.push(worker);
    const browser = await assertCounter(
      worker.origin,
      (n) => new RegExp(`^Hello stranger, visit ${n}$`),
    );
    await assertLogin(browser, {
      login: '/login?user=ada',
      expect: /^Hello ada, visit 3$/,
      stale: /^Hello stranger, visit 1$/,
    });
    assert.equal(await browser.text('/logout', { method: 'POST' }), 'Logged out');
    assert.equal(browser.cookie('sid'), undefined);
  });
});

describe('Next.js', () => {
  it('builds, starts; Server Component, login Server Action, route handler, proxy', async () => {
    await nextBuild;
    await run(
      process.execPath,
      [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'nextjs/tsconfig.json'],
      {
        cwd: app,
      },
    );
    const server = await start('start:nextjs');
    const browser = createBrowser(server.origin);
    const signedOut = await browser.fetch('/');
    assert.equal(signedOut.status, 200);
    assert.match(await signedOut.text(), /Not signed in/);
    assert.equal(browser.cookie('sid'), undefined, 'a visitor who only reads gets no cookie');

    const unauthorised = await browser.fetch('/api/count', { method: 'POST' });
    assert.equal(unauthorised.status, 401);

    // The login form without JavaScript: a multipart POST naming the action.
    const manifest = JSON.parse(
      await readFile(join(app, 'nextjs/.next/server/server-reference-manifest.json'), 'utf8'),
    );
    const actionId = (name) => {
      for (const [id, entry] of Object.entries(manifest.node))
        if (entry.filename.endsWith('app/actions.ts') && entry.exportedName === name) return id;
      throw new Error(`no Server Action ${name}`);
    };
    const form = new FormData();
    form.append(`$ACTION_ID_${actionId('login')}`, '');
    form.append('email', 'ada@example.com');
    form.append('password', 'correct horse');
    const login = await browser.fetch('/', {
      method: 'POST',
      body: form,
      headers: { origin: server.origin },
    });
    await login.arrayBuffer();
    assert.ok(login.status === 303 || login.status === 200, `login answered ${login.status}`);
    assert.ok(browser.cookie('sid'), 'the login action set the session cookie');
    assert.match(await browser.text('/'), /Hello Ada, count 0/);

    const one = await browser.fetch('/api/count', { method: 'POST' });
    assert.deepEqual(await one.json(), { count: 1 });
    const two = await browser.fetch('/api/count', { method: 'POST' });
    assert.deepEqual(await two.json(), { count: 2 });

    // addOne, as Next's client calls it: its re-rendered page reads the saved session.
    const add = await browser.fetch('/', {
      method: 'POST',
      headers: {
        accept: 'text/x-component',
        'content-type': 'text/plain;charset=UTF-8',
        'next-action': actionId('addOne'),
        origin: server.origin,
      },
      body: '[]',
    });
    assert.equal(add.status, 200);
    await add.arrayBuffer();
    assert.match(await browser.text('/'), /Hello Ada, count 3/);
  });
});
