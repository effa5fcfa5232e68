/**
 * Single-node faults on a redis-server of this file's own (persistent: an append-only file,
 * so a restart keeps the data), with both clients and visitors counting their visits: Redis
 * stopped and restarted, the connection dropped mid-commit (CLIENT KILL while the commit
 * waits on a paused server), the script cache flushed. Every failure is a typed 503, no
 * request sees an empty session over real data, and service resumes by itself.
 */

import { Redis as IORedis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKeyOf } from '../../upstash/test/support/keys.js';
import { type RedisServer, startRedisServer } from '../../upstash/test/support/redis-server.js';
import { redisStore } from '../src/index.js';
import { type ClientKind, connectClient, type TestClient } from './support/clients.js';
import { startVisitors, type Visitors } from './support/visitors.js';

const KINDS: ClientKind[] = ['node-redis', 'ioredis'];
const VISITORS = 8;

let redis: RedisServer;
let inspector: IORedis;
beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  inspector = new IORedis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  inspector.on('error', () => {});
});
afterAll(async () => {
  inspector?.disconnect();
  await redis?.stop();
});

async function settle(visitors: Visitors): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const before = visitors.tally.unavailable;
    await visitors.run(1);
    if (visitors.tally.unavailable === before) return;
    if (attempt > 100) throw new Error('service did not resume');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each(KINDS)('single-node faults (%s)', (kind) => {
  let connected: TestClient;
  let visitors: Visitors;
  beforeAll(async () => {
    connected = await connectClient(kind, 'single', [redis.port]);
    visitors = await startVisitors(redisStore({ client: connected.client }), VISITORS);
  });
  afterAll(() => connected?.close());

  it('Redis stopped and restarted under load: 503s while down, then every acknowledged write is there', async () => {
    const unavailable = visitors.tally.unavailable;
    await visitors.run(6, async (round) => {
      if (round === 1) await redis.terminate(); // flushes the append-only file
      if (round === 3) await redis.restart();
    });
    await settle(visitors);
    expect(visitors.tally.unavailable).toBeGreaterThan(unavailable);
    expect(visitors.tally.wrong).toEqual([]);
    expect(visitors.untypedErrors()).toEqual([]);
    for (const visitor of visitors.visitors) {
      expect(await visitors.stored(visitor)).toBeGreaterThanOrEqual(visitor.acknowledged);
    }
  });

  it('the connection dropped mid-commit: a typed 503 or the write applied, and service resumes', async () => {
    const visitor = visitors.visitors[0] as (typeof visitors.visitors)[number];
    const key = storeKeyOf(visitor.cookie);
    const before = visitor.acknowledged;
    // The commit waits on a paused server; the store's connection is killed under it.
    await inspector.call('CLIENT', 'PAUSE', '400', 'WRITE');
    const inFlight = visitors.visit(visitor);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await inspector.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await inFlight;
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stored = Number(await inspector.hget(key, 'd:n'));
    expect([before, before + 1]).toContain(stored);
    expect(visitors.tally.wrong).toEqual([]);
    expect(visitors.untypedErrors()).toEqual([]);
    await settle(visitors);
    expect(await visitors.stored(visitor)).toBeGreaterThanOrEqual(visitor.acknowledged);
  });

  it('a flushed script cache (SCRIPT FLUSH, as after a restart) is reloaded without a failure', async () => {
    await inspector.script('FLUSH');
    const { ok, unavailable } = visitors.tally;
    await visitors.run(2);
    expect(visitors.tally.unavailable).toBe(unavailable);
    expect(visitors.tally.ok).toBe(ok + 2 * VISITORS);
  });
});
