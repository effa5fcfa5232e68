import { Database } from 'bun:sqlite';
import { describeSessionStore } from '@fetch-session/core/testing';
import { sqliteStore } from '@fetch-session/sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';

// Runs under Bun (vitest on `bun --bun`, driven by ../conformance-bun.test.ts): the core's
// conformance suite on bun:sqlite.
const database = new Database(':memory:');
beforeAll(() => sqliteStore({ database }).migrate());
afterAll(() => database.close());

it('runs under Bun, on bun:sqlite', () => {
  expect(process.versions.bun).toBeTypeOf('string');
  expect(database.constructor.name).toBe('Database');
});

describeSessionStore({
  name: 'sqlite (bun:sqlite)',
  concurrency: 200,
  createStore: ({ now }) => sqliteStore({ database, now }),
});
