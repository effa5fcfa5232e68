import { describeSessionStore } from '@fetch-session/core/testing';
import { postgresStore } from '@fetch-session/postgres';
import { afterAll, beforeAll } from 'vitest';
import { postgresJs, uniqueTable } from './support/clients.js';

// The core's conformance suite (200 concurrent patches of one session) on the real server,
// through a `postgres` (porsager) client.
const sql = postgresJs();
const table = uniqueTable('conf_pgjs');
beforeAll(() => postgresStore({ sql, table }).migrate());
afterAll(() => sql.end());

describeSessionStore({
  name: 'postgres (postgres.js)',
  concurrency: 200,
  createStore: ({ now }) => postgresStore({ sql, table, now }),
});
