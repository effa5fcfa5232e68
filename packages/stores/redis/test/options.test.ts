/**
 * Construction and first use: every bad option or client is a SessionConfigError naming it;
 * RESP3 clients work; and the records are the Upstash store's (one layout, one copy of the
 * logic): what one writes, the other reads.
 */
import { createSessionManager } from '@fetch-session/core';
import { SessionConfigError, SessionStoreError } from '@fetch-session/core/errors';
import { upstashStore } from '@fetch-session/upstash';
import { Redis as IORedis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testClient } from '../../upstash/test/support/clients.js';
import {
  startUpstashRestServer,
  type UpstashRestServer,
} from '../../upstash/test/support/upstash-rest-server.js';
import { type RedisClient, redisStore } from '../src/index.js';
import { connectClient, type TestClient } from './support/clients.js';

const meta = { createdAt: 1_700_000_000_000, lastSeenAt: 1_700_000_000_500, permanent: true };
const later = () => Date.now() + 60_000;

function configError(create: () => unknown, option: string): SessionConfigError {
  let caught: unknown;
  try {
    create();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionConfigError);
  expect(caught).toMatchObject({ option, code: 'ERR_SESSION_CONFIG' });
  return caught as SessionConfigError;
}

/** A store call that fails on first use with a SessionConfigError naming `client`. */
async function firstUseError(store: ReturnType<typeof redisStore>): Promise<void> {
  const error = await store.load('sess:first-use').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(SessionStoreError);
  const cause = (error as Error).cause;
  expect(cause).toBeInstanceOf(SessionConfigError);
  expect(cause).toMatchObject({ option: 'client' });
}

let single: TestClient;
beforeAll(async () => {
  single = await connectClient('node-redis', 'single', [inject('redisPort')]);
});
afterAll(() => single.close());

describe('redisStore options', () => {
  it('refuses a keyPrefix with a hash tag, naming it', () => {
    for (const keyPrefix of ['{app}:', 'sess}', 'a{b']) {
      const error = configError(
        () => redisStore({ client: single.client, keyPrefix }),
        'keyPrefix',
      );
      expect(error.message).toContain('{');
    }
    configError(
      () => redisStore({ client: single.client, keyPrefix: 'x'.repeat(129) }),
      'keyPrefix',
    );
    expect(redisStore({ client: single.client, keyPrefix: 'app:' }).name).toBe('redis');
  });

  it('refuses what is not a supported client, naming `client`', () => {
    configError(() => redisStore({ client: undefined as unknown as RedisClient }), 'client');
    configError(() => redisStore({ client: {} as RedisClient }), 'client');
    // node-redis' callback-style legacy client has neither evalSha nor a status.
    const legacy = createClient().legacy();
    configError(() => redisStore({ client: legacy as unknown as RedisClient }), 'client');
    configError(() => redisStore(undefined as never), 'options');
  });

  it('refuses an ioredis client with its own keyPrefix (index members would be prefixed twice)', () => {
    const client = new IORedis({ lazyConnect: true, keyPrefix: 'app:' });
    configError(() => redisStore({ client }), 'client');
    client.disconnect();
  });

  it('a node-redis client never connected: a typed error on first use naming `client`', async () => {
    const client = createClient({ socket: { port: inject('redisPort') } });
    await firstUseError(redisStore({ client }));
    // Through a manager: a 503, never "no session".
    const sessions = createSessionManager({
      store: redisStore({ client }),
      secrets: 'options-test-secret-0123456789abcdef',
    });
    const app = sessions.wrap(async (_request, session) => {
      await session.set('a', 1);
      return new Response('ok');
    });
    expect((await app(new Request('https://app.test/'))).status).toBe(503);
  });

  it('an ioredis client after quit(): a typed error on first use naming `client`', async () => {
    const client = new IORedis({ port: inject('redisPort'), lazyConnect: true });
    await client.connect();
    const ended = new Promise((resolve) => client.once('end', resolve));
    await client.quit();
    await ended;
    await firstUseError(redisStore({ client }));
  });

  it('a node-redis client returning Buffers: a typed error on first use naming `client`', async () => {
    const client = single.client as ReturnType<typeof createClient>;
    const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const store = redisStore({ client: buffers as unknown as RedisClient });
    const key = `opt:buffers:${Math.random()}`;
    await redisStore({ client }).write(
      key,
      { meta, set: { 'd:a': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    const error = await store.load(key).catch((caught: unknown) => caught);
    expect((error as Error).cause).toMatchObject({ option: 'client' });
    expect((error as Error).cause).toBeInstanceOf(SessionConfigError);
  });

  it('works with RESP3 clients (node-redis RESP: 3, ioredis protocol 3 with object maps)', async () => {
    const port = inject('redisPort');
    const nodeRedis = createClient({ socket: { port }, RESP: 3 });
    await nodeRedis.connect();
    const ioredis = new IORedis({ port, protocol: 3, replyMapping: 'resp3' });
    for (const client of [nodeRedis, ioredis] as RedisClient[]) {
      const store = redisStore({ client });
      const key = `opt:resp3:${Math.random()}`;
      const userId = `resp3-${Math.random()}`;
      const set = { 'd:n': '42', 'd:o': '{"a":[1,2]}' };
      expect(
        await store.write(
          key,
          { meta: { ...meta, userId }, set, delete: [] },
          { mode: 'create', expiresAt: later() },
        ),
      ).toBe('ok');
      expect(await store.load(key)).toEqual({ meta: { ...meta, userId }, fields: set });
      expect(await store.listUserSessions(userId)).toEqual([{ key, meta: { ...meta, userId } }]);
      expect(await store.delete(key)).toBe(true);
    }
    await nodeRedis.close();
    ioredis.disconnect();
  });
});

describe('one layout with the Upstash store', () => {
  let server: UpstashRestServer;
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisPort: inject('redisPort') });
  });
  afterAll(() => server.close());

  it('what the TCP store writes the Upstash store reads, and back, per-user index included', async () => {
    const tcp = redisStore({ client: single.client });
    const rest = upstashStore({ redis: testClient(server, { autoPipelining: true }) });
    const userId = `shared-${Math.random()}`;
    const [a, b] = [`sess:shared-a-${Math.random()}`, `sess:shared-b-${Math.random()}`];
    await tcp.write(
      a,
      { meta: { ...meta, userId }, set: { 'd:x': '1' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    await rest.write(
      b,
      { meta: { ...meta, userId }, set: { 'd:y': '2' }, delete: [] },
      { mode: 'create', expiresAt: later() },
    );
    expect((await rest.load(a))?.fields).toEqual({ 'd:x': '1' });
    expect((await tcp.load(b))?.fields).toEqual({ 'd:y': '2' });
    const keys = async (store: typeof tcp) =>
      (await store.listUserSessions(userId)).map((entry) => entry.key).sort();
    expect(await keys(tcp)).toEqual([a, b].sort());
    expect(await keys(rest)).toEqual([a, b].sort());
    await rest.delete(a);
    expect(await keys(tcp)).toEqual([b]);
  });
});
