import { describeSessionStore } from '@fetch-session/core/testing';
import { upstashStore } from '@fetch-session/upstash';
import { afterAll, beforeAll, inject } from 'vitest';
import { type ClientSettings, testClient } from './clients.js';
import { startUpstashRestServer, type UpstashRestServer } from './upstash-rest-server.js';

/**
 * The core's store conformance suite over the real client, a REST server of this file's own
 * and the shared redis-server. Redis keeps its own time (PEXPIREAT), so expiry is tested in
 * real time. One variant per file, so the variants run in parallel.
 */
export function describeUpstashConformance(label: string, settings: ClientSettings): void {
  let server: UpstashRestServer;
  beforeAll(async () => {
    server = await startUpstashRestServer({ redisPort: inject('redisPort') });
  });
  afterAll(() => server.close());

  describeSessionStore({
    name: `upstash (${label})`,
    clock: 'real',
    createStore: () => upstashStore({ redis: testClient(server, settings) }),
  });
}
