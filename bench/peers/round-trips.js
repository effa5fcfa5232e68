/**
 * Store round trips per request type, for every store: the store's own calls (counted by a
 * wrapper around it) and what they cost on the wire: nothing for memory and cookie, HTTP
 * requests received by the Upstash REST server, KV calls for Cloudflare KV (a counting wrapper
 * around Miniflare's real KV namespace, as packages/stores/cloudflare-kv/test/worker/
 * counting-kv.ts does; the store runs in Node, its KV in workerd).
 *
 * Each request goes through `sessions.wrap` with the stores' default options. For Upstash the
 * sequence runs twice and the second pass is reported: the first loads the scripts into Redis
 * (one `NOSCRIPT` + `EVAL` per script, once per Redis restart).
 */
import { cookieFrom } from '../check.js';
import { SECRET } from '../handlers.js';
import { startUpstashRestServer } from './upstash-rest.js';

const URL_BASE = 'http://localhost/';

/** Request types, in the order they run. */
export const REQUEST_TYPES = [
  'new visitor (writes)',
  'new visitor (reads only)',
  'read',
  'write',
  'touch (read when a touch is due)',
  'regenerate',
  'destroy',
  'route that ignores the session',
];

/** Wraps a server-side store and counts calls of each method. */
function countCalls(store) {
  const calls = {};
  const counting = { name: store.name };
  for (const method of ['load', 'write', 'touch', 'delete']) {
    if (typeof store[method] !== 'function') continue;
    counting[method] = (...args) => {
      calls[method] = (calls[method] ?? 0) + 1;
      return store[method](...args);
    };
  }
  return { store: counting, calls };
}

/** Wraps a cookie store and counts seals and unseals. */
function countCookieCalls(store) {
  const calls = {};
  return {
    calls,
    store: {
      name: store.name,
      kind: store.kind,
      seal(...args) {
        calls.seal = (calls.seal ?? 0) + 1;
        return store.seal(...args);
      },
      unseal(...args) {
        calls.unseal = (calls.unseal ?? 0) + 1;
        return store.unseal(...args);
      },
    },
  };
}

/** A KV namespace that counts its calls (get, put, delete). */
function countKv(kv) {
  const calls = {};
  const count = (op) => {
    calls[op] = (calls[op] ?? 0) + 1;
  };
  return {
    calls,
    kv: {
      get(key, options) {
        count('get');
        return kv.get(key, options);
      },
      put(key, value, options) {
        count('put');
        return kv.put(key, value, options);
      },
      delete(key) {
        count('delete');
        return kv.delete(key);
      },
    },
  };
}

const clear = (object) => {
  for (const key of Object.keys(object)) delete object[key];
};
const sum = (object) => Object.values(object).reduce((total, value) => total + value, 0);

/** The request types through one store; returns one row per type. */
async function runSequence({ store, calls, wire }) {
  const { createSessionManager } = await import('@fetch-session/core');
  const isCookieStore = store.kind === 'cookie';
  const secrets = isCookieStore ? {} : { secrets: [SECRET] };
  const sessions = createSessionManager({ store, ...secrets });
  // Same store, secrets and cookie: a touch is due on every request.
  const touchy = createSessionManager({ store, ...secrets, touchAfter: 0 });
  const read = async (_request, session) => new Response(`${(await session.get('count')) ?? 0}`);
  const write = async (_request, session) => {
    await session.set('count', ((await session.get('count')) ?? 0) + 1);
    return new Response('ok');
  };
  const routes = {
    read: sessions.wrap(read),
    write: sessions.wrap(write),
    touch: touchy.wrap(read),
    ignore: sessions.wrap(() => new Response('bare')),
    regenerate: sessions.wrap(async (_request, session) => {
      await session.regenerate();
      return new Response('ok');
    }),
    destroy: sessions.wrap(async (_request, session) => {
      await session.destroy();
      return new Response('ok');
    }),
  };
  const request = (cookie) =>
    new Request(URL_BASE, cookie === undefined ? undefined : { headers: { cookie } });
  const newCookie = async () => cookieFrom(await routes.write(request()));

  const rows = {};
  async function count(type, route, cookie) {
    clear(calls);
    const before = wire?.() ?? {};
    const response = await route(request(cookie));
    await response.text();
    const after = wire?.() ?? {};
    const wireCalls = {};
    for (const [kind, value] of Object.entries(after)) {
      if (value > (before[kind] ?? 0)) wireCalls[kind] = value - (before[kind] ?? 0);
    }
    rows[type] = {
      calls: { ...calls },
      total: sum(calls),
      wire: wire === undefined ? undefined : sum(wireCalls),
      wireCalls,
      setCookie: response.headers.getSetCookie().length > 0,
    };
  }

  await count('new visitor (writes)', routes.write);
  await count('new visitor (reads only)', routes.read);
  const cookie = await newCookie();
  await count('read', routes.read, cookie);
  await count('write', routes.write, cookie);
  await count('touch (read when a touch is due)', routes.touch, await newCookie());
  await count('regenerate', routes.regenerate, await newCookie());
  await count('destroy', routes.destroy, await newCookie());
  await count('route that ignores the session', routes.ignore, await newCookie());
  return rows;
}

/** Runs the sequence (twice with `warmUp`: the first run is not counted). */
async function measureStore(setup, { warmUp = false } = {}) {
  if (warmUp) await runSequence(setup);
  return runSequence(setup);
}

/**
 * @param {{ redisPort?: number, log: (line: string) => void }} options
 * @returns {Promise<Record<string, { wireLabel: string, rows: object } | { skipped: string }>>}
 */
export async function countRoundTrips({ redisPort, log }) {
  const result = {};

  log('round trips: memory store');
  const { memoryStore } = await import('@fetch-session/memory');
  result.memory = {
    wireLabel: 'none (in process)',
    rows: await measureStore(countCalls(memoryStore())),
  };

  log('round trips: cookie store');
  const { cookieStore } = await import('@fetch-session/cookie');
  result.cookie = {
    wireLabel: 'none (in the cookie)',
    rows: await measureStore(countCookieCalls(cookieStore({ secrets: [SECRET] }))),
  };

  if (redisPort === undefined) result.upstash = { skipped: 'not run (BENCH_PEERS)' };
  else {
    log('round trips: Upstash store');
    const rest = await startUpstashRestServer({ redisPort });
    try {
      const { upstashStore } = await import('@fetch-session/upstash');
      const { Redis } = await import('@upstash/redis');
      const redis = new Redis({ url: rest.url, token: rest.token, enableTelemetry: false });
      const counted = countCalls(upstashStore({ redis }));
      result.upstash = {
        wireLabel: 'HTTP requests at the REST server',
        rows: await measureStore(
          { ...counted, wire: () => ({ requests: rest.requestCount }) },
          { warmUp: true },
        ),
      };
    } finally {
      await rest.close();
    }
  }

  log('round trips: Cloudflare KV store (Miniflare; waits for KV write slots)');
  result['cloudflare-kv'] = await countKvRoundTrips(log);

  log('round trips: filesystem store');
  result.filesystem = await countFilesystemRoundTrips();

  log('round trips: memcached store');
  result.memcached = await countMemcachedRoundTrips(log);
  return result;
}

/** The filesystem store in a temp directory; its wire is the disk: file reads and writes. */
async function countFilesystemRoundTrips() {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileStore } = await import('@fetch-session/filesystem');
  const directory = await mkdtemp(join(tmpdir(), 'bench-fs-'));
  try {
    return {
      wireLabel: 'none (local files; a write is one atomic rename)',
      rows: await measureStore(countCalls(fileStore({ directory }))),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** memcached started here when installed; the wire is memcached requests (memjs `perform`). */
async function countMemcachedRoundTrips(log) {
  const { spawn } = await import('node:child_process');
  const { createServer, connect } = await import('node:net');
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0'];
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const child = spawn('memcached', args, { stdio: 'ignore' });
  const failed = new Promise((resolve) => child.once('error', resolve));
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await Promise.race([
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket.destroy() ?? true));
        socket.once('error', () => resolve(false));
      }),
      failed.then(() => 'error'),
    ]);
    if (up === 'error')
      return { skipped: 'memcached is not installed (apt-get install memcached)' };
    if (up === true) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  try {
    const { default: memjs } = await import('memjs');
    const { memcachedStore } = await import('@fetch-session/memcached');
    const client = memjs.Client.create(`127.0.0.1:${port}`, { logger: { log: () => {} } });
    let requests = 0;
    const perform = client.perform.bind(client);
    client.perform = (...args) => {
      requests++;
      return perform(...args);
    };
    try {
      const counted = countCalls(memcachedStore({ client }));
      return {
        wireLabel: 'memcached requests',
        rows: await measureStore({ ...counted, wire: () => ({ requests }) }),
      };
    } finally {
      client.close();
    }
  } catch (error) {
    log(`memcached round trips skipped: ${error.message}`);
    return { skipped: `memcached failed: ${error.message}` };
  } finally {
    child.kill('SIGKILL');
  }
}

async function countKvRoundTrips(log) {
  let Miniflare;
  try {
    ({ Miniflare } = await import('miniflare'));
  } catch (error) {
    return { skipped: `Miniflare unavailable: ${error.message}` };
  }
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response("unused"); } };',
    compatibilityDate: '2026-04-01',
    kvNamespaces: ['SESSIONS'],
  });
  try {
    await mf.ready;
    const { cloudflareKvStore } = await import('@fetch-session/cloudflare-kv');
    const kv = countKv(await mf.getKVNamespace('SESSIONS'));
    const counted = countCalls(cloudflareKvStore({ namespace: kv.kv }));
    const rows = await measureStore({ ...counted, wire: () => ({ ...kv.calls }) });
    return { wireLabel: 'KV calls (Miniflare)', rows };
  } catch (error) {
    log(`KV round trips skipped: ${error.message}`);
    return { skipped: `Miniflare failed: ${error.message}` };
  } finally {
    await mf.dispose();
  }
}
