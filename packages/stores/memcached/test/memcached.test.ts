import { inspect } from 'node:util';
import {
  createSessionManager,
  isSessionStoreError,
  SessionNotSupportedError,
} from '@fetch-session/core';
import { SessionConfigError } from '@fetch-session/core/errors';
import { memcachedStore } from '@fetch-session/memcached';
import memjs from 'memjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemcachedServer, startMemcached } from './support/memcached-server.js';

let server: MemcachedServer;
const clients: memjs.Client[] = [];
const quiet = { log: () => {} };
const newClient = (): memjs.Client => {
  const client = memjs.Client.create(server.address, { logger: quiet, retries: 1, timeout: 1 });
  clients.push(client);
  return client;
};
beforeAll(async () => {
  server = await startMemcached();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server.stop();
});

const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };
const later = (): number => Date.now() + 3_600_000;

describe('memcached store', () => {
  it('keeps every patch when two clients (two processes) commit to one session at once', async () => {
    const [a, b] = [
      memcachedStore({ client: newClient() }),
      memcachedStore({ client: newClient() }),
    ];
    const key = 'sess:cas-race';
    await a.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt: later() });
    const patches = (store: typeof a, prefix: string) =>
      Array.from({ length: 100 }, (_, i) =>
        store.write(
          key,
          { meta, set: { [`${prefix}${i}`]: String(i) }, delete: [] },
          {
            mode: 'update',
            expiresAt: later(),
          },
        ),
      );
    const outcomes = await Promise.all([...patches(a, 'd:a'), ...patches(b, 'd:b')]);
    expect(outcomes.every((outcome) => outcome === 'ok')).toBe(true);
    const fields = Object.keys((await a.load(key))?.fields ?? {});
    expect(fields).toHaveLength(200);
  });

  it('a commit right after its load costs one request (the CAS token from the load); a stale one re-reads', async () => {
    const client = newClient();
    let requests = 0;
    const perform = client.perform.bind(client);
    client.perform = ((...args: Parameters<typeof perform>) => {
      requests++;
      return perform(...args);
    }) as typeof client.perform;
    const store = memcachedStore({ client });
    const other = memcachedStore({ client: newClient() });
    const key = 'sess:one-request';
    await store.write(
      key,
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    requests = 0;
    await store.load(key);
    await store.write(
      key,
      { meta, set: { 'd:b': '2' }, delete: [] },
      { mode: 'update', expiresAt: later() },
    );
    expect(requests).toBe(2);
    // Another client writes between this load and this commit: the CAS fails, it re-reads.
    requests = 0;
    await store.load(key);
    await other.write(
      key,
      { meta, set: { 'd:c': '3' }, delete: [] },
      { mode: 'update', expiresAt: later() },
    );
    await store.write(
      key,
      { meta, set: { 'd:d': '4' }, delete: [] },
      { mode: 'update', expiresAt: later() },
    );
    expect(requests).toBe(4);
    expect((await store.load(key))?.fields).toEqual({
      'd:a': '1',
      'd:b': '2',
      'd:c': '3',
      'd:d': '4',
    });
  });

  it('says plainly that it keeps no per-user index', async () => {
    const sessions = createSessionManager({
      store: memcachedStore({ client: newClient() }),
      secrets: ['s'.repeat(32)],
    });
    await expect(sessions.listSessions('user-1')).rejects.toBeInstanceOf(SessionNotSupportedError);
  });

  it('refuses something that is not a memjs client, naming the option', () => {
    expect(() => memcachedStore({ client: {} })).toThrow(SessionConfigError);
    expect(() => memcachedStore({ client: {} })).toThrow(/client/);
    expect(() => memcachedStore({ client: newClient(), maxCasRetries: 0 })).toThrow(
      /maxCasRetries/,
    );
  });

  it('S29: memcached restarted mid-load gives 503s, never an empty session over real data, then recovers', async () => {
    const sessions = createSessionManager<{ n: number }>({
      store: memcachedStore({ client: newClient() }),
      secrets: ['s'.repeat(32)],
    });
    const app = sessions.wrap(async (_request, session) => {
      const n = ((await session.get('n')) ?? 0) + 1;
      await session.set('n', n);
      return new Response(String(n));
    });
    const visit = (cookie?: string) =>
      app(new Request('https://app.test/', cookie ? { headers: { cookie } } : {}));
    const first = await visit();
    const cookie = first.headers.get('set-cookie')?.split(';')[0] as string;
    expect(await (await visit(cookie)).text()).toBe('2');

    await server.stop();
    const during = await Promise.all(Array.from({ length: 5 }, () => visit(cookie)));
    expect(during.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
    // No response handed out a fresh cookie: nothing was written over the session.
    expect(during.some((response) => response.headers.has('set-cookie'))).toBe(false);

    await server.start();
    // memcached kept nothing over its restart (documented): the old cookie is a new visitor,
    // and service resumes by itself on the same client.
    let recovered: Response | undefined;
    for (let attempt = 0; attempt < 50 && recovered?.status !== 200; attempt++) {
      recovered = await visit(cookie);
    }
    expect(recovered?.status).toBe(200);
    expect(await recovered?.text()).toBe('1');
  });

  it('S24: a store error names neither the key nor the data', async () => {
    const stopped = await startMemcached();
    const client = memjs.Client.create(stopped.address, { logger: quiet, retries: 1, timeout: 1 });
    clients.push(client);
    await stopped.stop();
    const errors: unknown[] = [];
    const sessions = createSessionManager({
      store: memcachedStore({ client }),
      secrets: ['s'.repeat(32)],
      onEvent: (event) => {
        if (event.type === 'store-error') errors.push(event.error);
      },
    });
    const app = sessions.wrap(async (_request, session) => {
      await session.set('secret', 'payload-7f3a');
      return new Response('ok');
    });
    const response = await app(new Request('https://app.test/', { method: 'POST' }));
    expect(response.status).toBe(503);
    expect(errors).toHaveLength(1);
    for (const error of errors) {
      expect(isSessionStoreError(error)).toBe(true);
      expect(inspect(error, { depth: 10 })).not.toContain('payload-7f3a');
    }
  });
});
