import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSessionStore } from '@fetch-session/core/testing';
import { sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import { afterAll, beforeAll } from 'vitest';

// The core's conformance suite (200 concurrent patches of one session) on a real SQLite
// database file in WAL mode, through better-sqlite3.
const dir = mkdtempSync(join(tmpdir(), 'fetch-session-sqlite-'));
const database = new Database(join(dir, 'sessions.db'));
database.pragma('journal_mode = WAL');
beforeAll(() => sqliteStore({ database }).migrate());
afterAll(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describeSessionStore({
  name: 'sqlite (better-sqlite3)',
  concurrency: 200,
  createStore: ({ now }) => sqliteStore({ database, now }),
});
