/**
 * `node bench/peers/sql.js`: the SQL stores next to the memory store, in process, through a
 * real session manager: a read, a write and a new visitor, in requests per second, and the
 * statements each request type sends (counted at the driver). Self-contained: uses
 * DATABASE_URL when set, else starts a throwaway PostgreSQL 15 on a free loopback port
 * (`initdb` + `pg_ctl`, as `postgres` when run as root) and removes it afterwards; SQLite is a
 * WAL file in a temporary directory. Needs the packages built
 * (`npx turbo run build --filter=@fetch-session/postgres --filter=@fetch-session/sqlite --filter=@fetch-session/memory`).
 *
 * Environment: BENCH_SQL_REQUESTS (requests per measurement, default 3000), BENCH_SQL_CONCURRENCY
 * (requests in flight, default 10), PG_BIN (default /usr/lib/postgresql/15/bin).
 * Over HTTP next to express-session + connect-pg-simple: `npm run bench:databases`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionManager } from '@fetch-session/core';
import { memoryStore } from '@fetch-session/memory';
import { postgresStore } from '@fetch-session/postgres';
import { sqliteStore } from '@fetch-session/sqlite';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { envValue, positiveNumber } from '../settings.js';
import { startPostgresServer } from './postgres.js';

const REQUESTS = Math.round(positiveNumber('BENCH_SQL_REQUESTS', 3000));
const CONCURRENCY = Math.round(positiveNumber('BENCH_SQL_CONCURRENCY', 10));
const log = (line) => process.stderr.write(`[sql] ${line}\n`);

/** A session app with three routes, on `store`. */
function app(store) {
  const sessions = createSessionManager({ store, secrets: 'bench-sql-secret-0123456789abcdef' });
  return sessions.wrap(async (request, session) => {
    const path = new URL(request.url).pathname;
    if (path === '/read') return Response.json((await session.get('count')) ?? 0);
    await session.set('count', ((await session.get('count')) ?? 0) + 1);
    return new Response('ok');
  });
}

async function cookieFor(handler) {
  const response = await handler(new Request('https://bench.test/write'));
  return response.headers.get('set-cookie').split(';')[0];
}

/** Requests per second for `REQUESTS` requests, `CONCURRENCY` at a time. */
async function rate(handler, path, cookies) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, lane) => {
      while (next < REQUESTS) {
        next++;
        const headers = cookies ? { cookie: cookies[lane] } : {};
        const response = await handler(new Request(`https://bench.test${path}`, { headers }));
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
  return Math.round(REQUESTS / ((performance.now() - start) / 1000));
}

/** Statements one request of each type sends, counted at the driver. */
async function statementsPer(handler, take) {
  const counts = {};
  take();
  const cookie = await cookieFor(handler);
  counts['new visitor'] = take().length;
  await handler(new Request('https://bench.test/read', { headers: { cookie } }));
  counts.read = take().length;
  await handler(new Request('https://bench.test/write', { headers: { cookie } }));
  counts.write = take().length;
  return counts;
}

const external = envValue('DATABASE_URL');
const server = external ? undefined : await startPostgresServer();
const dir = mkdtempSync(join(tmpdir(), 'fetch-session-bench-sqlite-'));
const sql = postgres(external ?? server.url, { max: CONCURRENCY, onnotice: () => {} });
const database = new Database(join(dir, 'sessions.db'));
database.pragma('journal_mode = WAL');
try {
  let seen = [];
  const take = () => seen.splice(0);
  const countingQuery = async (text, params) => {
    seen.push(text);
    const rows = await sql.unsafe(text, params, { prepare: true });
    return { rows: Array.from(rows), rowCount: rows.count };
  };
  const pgStore = postgresStore({ query: countingQuery, table: 'bench_sessions' });
  await pgStore.migrate();
  await sql`TRUNCATE bench_sessions`;
  const liteStore = sqliteStore({ database, table: 'bench_sessions' });
  await liteStore.migrate();

  const stores = [
    ['memory', memoryStore({ maxEntries: 1_000_000 })],
    ['postgres (postgres.js)', pgStore],
    ['sqlite (better-sqlite3, WAL file)', liteStore],
  ];
  const rows = [];
  for (const [name, store] of stores) {
    const handler = app(store);
    const cookies = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => cookieFor(handler)),
    );
    await rate(handler, '/read', cookies); // warm-up
    const read = await rate(handler, '/read', cookies);
    const write = await rate(handler, '/write', cookies);
    const fresh = await rate(handler, '/write');
    rows.push({ name, read, write, fresh });
    log(`${name}: read ${read}/s, write ${write}/s, new visitor ${fresh}/s`);
  }
  const pgStatements = await statementsPer(app(pgStore), take);
  seen = [];

  const lines = [
    `In process, ${REQUESTS} requests per measurement, ${CONCURRENCY} in flight, requests per second (higher is better).`,
    '',
    '| store | read | write | new visitor |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.read} | ${r.write} | ${r.fresh} |`),
    '',
    `Statements per request (postgres, counted at the driver): new visitor ${pgStatements['new visitor']}, read ${pgStatements.read}, write ${pgStatements.write}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await sql.end({ timeout: 1 });
  database.close();
  rmSync(dir, { recursive: true, force: true });
  await server?.destroy();
}
