/**
 * One redis-server and one Redis Cluster (3 masters + 3 replicas) for the whole run, shared
 * by the test files, always stopped at the end. Files that kill nodes start their own.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../upstash/test/support/redis-server.js';
import { startRedisCluster } from './support/redis-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the shared single redis-server on 127.0.0.1. */
    redisPort: number;
    /** Ports of the shared Cluster's nodes on 127.0.0.1. */
    clusterPorts: number[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster()]);
  project.provide('redisPort', redis.port);
  project.provide('clusterPorts', [...cluster.ports]);
  return async () => {
    await Promise.all([redis.stop(), cluster.stop()]);
  };
}
