/**
 * One PostgreSQL server for the whole run (test files share it, each on tables of its own),
 * always stopped afterwards. The fault test starts its own, since it stops it.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './support/postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared server on 127.0.0.1. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return () => server.destroy();
}
