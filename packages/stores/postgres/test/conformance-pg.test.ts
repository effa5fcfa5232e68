import { describeSessionStore } from '@fetch-session/core/testing';
import { postgresStore } from '@fetch-session/postgres';
import { afterAll, beforeAll } from 'vitest';
import { pgPool, uniqueTable } from './support/clients.js';

// The core's conformance suite (200 concurrent patches of one session) on the real server,
// through a `pg` Pool.
const pool = pgPool();
const table = uniqueTable('conf_pg');
beforeAll(() => postgresStore({ pool, table }).migrate());
afterAll(() => pool.end());

describeSessionStore({
  name: 'postgres (pg)',
  concurrency: 200,
  createStore: ({ now }) => postgresStore({ pool, table, now }),
});
