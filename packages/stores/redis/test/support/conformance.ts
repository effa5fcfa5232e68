import { describeSessionStore } from '@fetch-session/core/testing';
import { afterAll, beforeAll, inject } from 'vitest';
import { redisStore } from '../../src/index.js';
import { type ClientKind, connectClient, type TestClient, type Topology } from './clients.js';

/**
 * The core's store conformance suite over a real client and the shared redis-server or
 * Cluster. Redis keeps its own time (PEXPIREAT), so expiry is tested in real time. One variant
 * per file, so the variants run in parallel.
 */
export function describeRedisConformance(kind: ClientKind, topology: Topology): void {
  let connected: TestClient;
  beforeAll(async () => {
    const ports = topology === 'single' ? [inject('redisPort')] : inject('clusterPorts');
    connected = await connectClient(kind, topology, ports);
  });
  afterAll(() => connected.close());

  describeSessionStore({
    name: `redis (${kind}, ${topology})`,
    clock: 'real',
    createStore: () => redisStore({ client: connected.client }),
  });
}
