/**
 * S24 with the TCP clients: a Redis error (WRONGTYPE on a foreign value at the session key)
 * through each client on each topology is a typed SessionStoreError whose message, stack,
 * JSON and inspected form hold neither the key nor the payload; the cause keeps the Redis
 * error word, the client's own error stays reachable as the cause's `original`.
 */
import { inspect } from 'node:util';
import { SessionStoreError } from '@fetch-session/core/errors';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { redisStore } from '../src/index.js';
import { connectClient, type TestClient, VARIANTS } from './support/clients.js';

const SECRET = 'SECRET-PAYLOAD-7d2e41';
const meta = { createdAt: Date.now(), lastSeenAt: Date.now(), permanent: false };

describe.each(VARIANTS)('S24: redacted errors ($kind, $topology)', ({ kind, topology }) => {
  let connected: TestClient;
  let raw: TestClient;
  beforeAll(async () => {
    const ports = topology === 'single' ? [inject('redisPort')] : inject('clusterPorts');
    connected = await connectClient(kind, topology, ports);
    raw = await connectClient('ioredis', topology, ports);
  });
  afterAll(async () => {
    await connected.close();
    await raw.close();
  });

  it('S24: a Redis error names no key and no payload, and keeps its error word', async () => {
    const key = `sess:err-${kind}-${topology}-${Math.random()}`;
    await (raw.client as Cluster).set(key, 'a string, not a hash');
    const store = redisStore({ client: connected.client });
    const error = await store
      .write(
        key,
        { meta, set: { 'd:token': `"${SECRET}"` }, delete: [] },
        { mode: 'update', expiresAt: Date.now() + 60_000 },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error).toMatchObject({ store: 'redis', operation: 'write' });
    const cause = (error as Error).cause as Error & { original?: unknown };
    expect(cause.message).toContain('WRONGTYPE');
    expect(cause.original).toBeInstanceOf(Error);
    const printed = [
      (error as Error).message,
      String((error as Error).stack),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      cause.message,
      String(cause.stack),
    ].join('\n');
    expect(printed).not.toContain(key);
    expect(printed).not.toContain(SECRET);
    await expect(store.load(key)).rejects.toBeInstanceOf(SessionStoreError);
  });
});
