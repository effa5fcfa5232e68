/**
 * Starts one redis-server for the whole run (test files share it; each starts its own REST
 * server in front) and stops it afterwards. Files that kill or pause Redis start their own.
 */
import type { TestProject } from 'vitest/node';
import { startRedisServer } from './support/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the shared redis-server on 127.0.0.1. */
    redisPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  project.provide('redisPort', redis.port);
  return () => redis.stop();
}
