/**
 * Fidelity of the test server itself, through the real client: replies Upstash would give.
 */
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CLIENT_VARIANTS, testClient } from './support/clients.js';
import { startUpstashRestServer, type UpstashRestServer } from './support/upstash-rest-server.js';

let server: UpstashRestServer;
beforeAll(async () => {
  server = await startUpstashRestServer({ redisPort: inject('redisPort') });
});
afterAll(() => server.close());

describe.each(CLIENT_VARIANTS)('the Upstash REST test server ($label)', ({ autoPipelining }) => {
  it('answers hgetall with the flat array Redis sends (the client builds the object)', async () => {
    // With the client's default deserialization, which turns the flat array into an object.
    const redis = testClient(server, { autoPipelining, automaticDeserialization: true });
    const key = `rest:hash:${Math.random()}`;
    expect(await redis.hgetall(key)).toBeNull();
    await server.redis.hset(key, 'a', 'one', 'b', 'two');
    expect(await redis.hgetall(key)).toEqual({ a: 'one', b: 'two' });
  });

  it('answers a wrong token with Upstash\'s "WRONGPASS invalid or missing auth token"', async () => {
    const redis = new Redis({
      url: server.url,
      token: 'wrong-token',
      retry: { retries: 0 },
      enableAutoPipelining: autoPipelining,
    });
    await expect(redis.get('rest:any')).rejects.toThrow(/^WRONGPASS invalid or missing auth token/);
  });
});
