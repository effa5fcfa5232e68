/**
 * Construction: a client, `url` + `token`, or the `Redis.fromEnv()` variables; every bad
 * option is a SessionConfigError naming it. Also the data layout in Redis.
 */
import { SessionConfigError } from '@fetch-session/core/errors';
import { upstashStore } from '@fetch-session/upstash';
import { Redis } from '@upstash/redis';
import { Redis as CloudflareRedis } from '@upstash/redis/cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startUpstashRestServer, type UpstashRestServer } from './support/upstash-rest-server.js';

const ENV_NAMES = [
  'UPSTASH_REDIS_REST_URL',
  'UPSTASH_REDIS_REST_TOKEN',
  'KV_REST_API_URL',
  'KV_REST_API_TOKEN',
];
const meta = { createdAt: 1_700_000_000_000, lastSeenAt: 1_700_000_000_500, permanent: true };

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
});
afterAll(() => server.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A store works end to end: create, load back. */
async function roundTrip(store: ReturnType<typeof upstashStore>): Promise<void> {
  const key = `opt:${Math.random()}`;
  const expiresAt = Date.now() + 60_000;
  const set = { 'd:n': '42', 'd:s': '"NDI="', 'd:o': '{"a":[1,2]}' };
  expect(await store.write(key, { meta, set, delete: [] }, { mode: 'create', expiresAt })).toBe(
    'ok',
  );
  expect(await store.load(key)).toEqual({ meta, fields: set });
}

function expectConfigError(create: () => unknown, option: string): void {
  let caught: unknown;
  try {
    create();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionConfigError);
  expect(caught).toMatchObject({ option, code: 'ERR_SESSION_CONFIG' });
}

describe('upstashStore options', () => {
  it('accepts a client', async () => {
    const redis = new Redis({ url: server.url, token: server.token, retry: { retries: 0 } });
    const store = upstashStore({ redis });
    expect(store.name).toBe('upstash');
    await roundTrip(store);
  });

  it('accepts a client from another entry point (@upstash/redis/cloudflare)', async () => {
    // Workers: `upstashStore({ redis: Redis.fromEnv(env) })` with this entry point's Redis.
    const redis = CloudflareRedis.fromEnv(
      { UPSTASH_REDIS_REST_URL: server.url, UPSTASH_REDIS_REST_TOKEN: server.token },
      { retry: { retries: 0 } },
    );
    await roundTrip(upstashStore({ redis }));
  });

  it('builds its own client from url and token, passing clientSettings through', async () => {
    const store = upstashStore({
      url: server.url,
      token: server.token,
      // Not `retry: false`: the client still makes two attempts with that.
      clientSettings: { retry: { retries: 0 }, enableAutoPipelining: false },
    });
    await roundTrip(store);
    server.clearRequests();
    server.failNext(1, 'drop');
    await expect(store.load('opt:retry')).rejects.toThrow(/failed to load/);
    expect(server.requests).toHaveLength(1); // retries: 0 was applied
    expect(server.requests[0]?.path).toBe('/'); // so was enableAutoPipelining: false
  });

  it('follows the Redis.fromEnv() variables when given neither client nor url', async () => {
    for (const name of ENV_NAMES) vi.stubEnv(name, undefined);
    vi.stubEnv('UPSTASH_REDIS_REST_URL', server.url);
    vi.stubEnv('UPSTASH_REDIS_REST_TOKEN', server.token);
    await roundTrip(upstashStore({ clientSettings: { retry: { retries: 0 } } }));
    for (const name of ENV_NAMES) vi.stubEnv(name, undefined);
    vi.stubEnv('KV_REST_API_URL', server.url);
    vi.stubEnv('KV_REST_API_TOKEN', server.token);
    await roundTrip(upstashStore());
  });

  it('refuses to start without credentials rather than fail every request', () => {
    for (const name of ENV_NAMES) vi.stubEnv(name, undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expectConfigError(() => upstashStore(), 'redis');
  });

  it('names the option at fault', () => {
    const redis = new Redis({ url: server.url, token: server.token });
    const cases: Array<[unknown, string]> = [
      [null, 'options'],
      [{ redis: {} }, 'redis'],
      [{ redis: 'redis://localhost' }, 'redis'],
      [{ redis, url: server.url }, 'url'],
      [{ redis, token: 't' }, 'token'],
      [{ redis, clientSettings: {} }, 'clientSettings'],
      [{ url: server.url }, 'token'],
      [{ token: 't' }, 'url'],
      [{ url: 'redis://127.0.0.1:6379', token: 't' }, 'url'],
      [{ url: 'not a url', token: 't' }, 'url'],
      [{ url: server.url, token: '' }, 'token'],
      [{ url: server.url, token: ' padded ' }, 'token'],
      [{ url: server.url, token: 't', clientSettings: 'fast' }, 'clientSettings'],
      [{ redis, keyPrefix: 5 }, 'keyPrefix'],
      [{ redis, keyPrefix: 'é'.repeat(65) }, 'keyPrefix'],
    ];
    for (const [options, option] of cases) {
      expectConfigError(() => upstashStore(options as Parameters<typeof upstashStore>[0]), option);
    }
  });

  it("never quotes the token or URL in a configuration error's message", () => {
    const token = 'tok-3c1d5e7f';
    let message = '';
    try {
      upstashStore({ url: `https://user:${token}@ bad`, token });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/url/);
    expect(message).not.toContain(token);
  });
});

describe('layout in Redis', () => {
  it('keeps a session as one hash at exactly the given key: `_meta` plus the fields', async () => {
    const store = upstashStore({ url: server.url, token: server.token });
    const key = `sess:layout-${Math.random()}`;
    const expiresAt = Date.now() + 90_000;
    const set = { 'd:user': '"ada"', 'f:notice': '"hi"' };
    await store.write(key, { meta, set, delete: [] }, { mode: 'create', expiresAt });
    expect(await server.redis.type(key)).toBe('hash');
    expect(await server.redis.hgetall(key)).toEqual({
      _meta: '{"createdAt":1700000000000,"lastSeenAt":1700000000500,"permanent":true}',
      ...set,
    });
    expect(await server.redis.pexpiretime(key)).toBe(expiresAt);
  });

  it('loads a field named __proto__ as an own property, never as a prototype (S30)', async () => {
    const store = upstashStore({ url: server.url, token: server.token });
    const key = `sess:proto-${Math.random()}`;
    await store.write(
      key,
      { meta, set: {}, delete: [] },
      {
        mode: 'create',
        expiresAt: Date.now() + 60_000,
      },
    );
    await server.redis.hset(key, '__proto__', '{"polluted":true}');
    const fields = (await store.load(key))?.fields ?? {};
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.hasOwn(fields, '__proto__')).toBe(true);
    expect((fields as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a userId and a device label in the metadata when the core sets them', async () => {
    const store = upstashStore({ url: server.url, token: server.token });
    const key = `sess:user-${Math.random()}`;
    const withUser = { ...meta, userId: 'u-1', device: 'Firefox on Linux' };
    const expiresAt = Date.now() + 60_000;
    await store.write(key, { meta: withUser, set: {}, delete: [] }, { mode: 'create', expiresAt });
    expect(await store.load(key)).toEqual({ meta: withUser, fields: {} });
    expect(JSON.parse((await server.redis.hget(key, '_meta')) as string)).toEqual(withUser);
  });

  it('rounds a fractional expiresAt up to the next millisecond', async () => {
    const store = upstashStore({ url: server.url, token: server.token });
    const key = `sess:frac-${Math.random()}`;
    const expiresAt = Date.now() + 60_000.25;
    await store.write(key, { meta, set: {}, delete: [] }, { mode: 'create', expiresAt });
    expect(await server.redis.pexpiretime(key)).toBe(Math.ceil(expiresAt));
  });
});
