import type {
  SessionMeta,
  SessionRecord,
  SessionStore,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import { SessionConfigError, type SessionStoreOperation } from '@fetch-session/core/errors';
import {
  checkExpiresAt,
  createStoreGuard,
  decodeMeta,
  encodeMeta,
  OnceUntilSuccess,
  parseFields,
} from '@fetch-session/core/store-kit';
import type { SqlDriver } from './driver.js';
import type { ResolvedSqlOptions } from './options.js';
import { bind, type SqlStatements } from './statements.js';

/** Options of {@link SqlSessionStore.sweepExpired}. */
export interface SweepOptions {
  /**
   * Rows deleted per statement, so a large backlog never holds a lock long.
   * @default 1000 on PostgreSQL, 500 on SQLite and D1
   */
  readonly batchSize?: number;
}

/** A {@link SessionStore} on a SQL database, with its schema and expiry tools. */
export interface SqlSessionStore extends SessionStore {
  /** Refreshes metadata and expiry in one statement, without rewriting the fields. */
  touch(
    key: string,
    meta: SessionMeta,
    options: { readonly expiresAt: number },
  ): Promise<SessionWriteOutcome>;
  /** The user's live sessions, in one statement through the `user_id` index. */
  listUserSessions(userId: string): Promise<UserSessionEntry[]>;
  /**
   * Deletes the expired rows (loads already ignore them; this reclaims the space), in batches
   * through the `expires_at` index; resolves to how many it deleted. Schedule it: an interval
   * on a long-running server, a cron trigger on Workers (see the README).
   */
  sweepExpired(options?: SweepOptions): Promise<number>;
  /** Creates the table and its indexes when missing (idempotent). */
  migrate(): Promise<void>;
  /**
   * Checks the table and its columns; throws a `SessionConfigError` naming what is missing.
   * Call it at startup to fail before the first request.
   */
  checkSchema(): Promise<void>;
}

/** What differs between SQL databases: the client, the statements, the schema and its check. */
export interface SqlDialect {
  /** The store's name in errors and events: `postgres`, `sqlite`, `d1`. */
  readonly name: string;
  readonly driver: SqlDriver;
  /** The statements on the store's (checked) table. */
  readonly statements: SqlStatements;
  /** What `migrate()` runs, in order; each statement idempotent. */
  readonly schema: readonly string[];
  /** Checks the table and its columns; throws a `SessionConfigError` naming what is missing. */
  checkSchema(): Promise<void>;
  /** Rows per sweep statement when `sweepExpired` is given no `batchSize`. */
  readonly sweepBatchSize: number;
}

/**
 * The store over a dialect: the one copy of the logic behind `postgresStore`, `sqliteStore`
 * and `d1Store`. One row per session, one statement per operation; the row count answers
 * whether a write applied. Every failure is a `SessionStoreError` with a redacted cause (a
 * failed schema check is kept as it is: it names the table or column).
 */
export function createSqlStore(dialect: SqlDialect, options: ResolvedSqlOptions): SqlSessionStore {
  const { name, driver, statements: sql } = dialect;
  const { now } = options;
  const guard = createStoreGuard(name);

  /** The schema check, shared by concurrent first calls; forgotten if it fails, to retry. */
  const schema = new OnceUntilSuccess(() => dialect.checkSchema());
  if (!options.checkSchema) schema.markDone();

  /** Runs one operation once the schema is known to be right. */
  const operation = <T>(kind: SessionStoreOperation, call: () => Promise<T>): Promise<T> =>
    guard(kind, async () => {
      await schema.run();
      return await call();
    });

  /** `expiresAt` for the column: epoch ms, or `NULL` for never. */
  const time = (expiresAt: number): number | null => {
    checkExpiresAt(expiresAt);
    return expiresAt === Number.POSITIVE_INFINITY ? null : expiresAt;
  };
  const applied = (changes: number): SessionWriteOutcome => (changes === 1 ? 'ok' : 'conflict');

  return {
    name,
    load(key): Promise<SessionRecord | undefined> {
      return operation('load', async () => {
        const row = await driver.get(sql.load.text, bind(sql.load, { key, now: now() }));
        if (row === undefined) return undefined;
        return {
          meta: decodeMeta(String(row.meta)),
          fields: parseFields(JSON.parse(String(row.fields))),
        };
      });
    },
    write(key, patch, { mode, expiresAt }): Promise<SessionWriteOutcome> {
      return operation('write', async () => {
        const shared = {
          key,
          meta: encodeMeta(patch.meta),
          userId: patch.meta.userId ?? null,
          expiresAt: time(expiresAt),
          now: now(),
        };
        if (mode === 'create') {
          const deleted = new Set(patch.delete);
          const fields = Object.fromEntries(
            Object.entries(patch.set).filter(([field]) => !deleted.has(field)),
          );
          const values = { ...shared, fields: JSON.stringify(fields) };
          return applied(await driver.run(sql.create.text, bind(sql.create, values)));
        }
        const values = {
          ...shared,
          set: JSON.stringify(patch.set),
          delete: JSON.stringify(patch.delete),
        };
        return applied(await driver.run(sql.update.text, bind(sql.update, values)));
      });
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return operation('touch', async () => {
        const values = {
          key,
          meta: encodeMeta(meta),
          userId: meta.userId ?? null,
          expiresAt: time(expiresAt),
          now: now(),
        };
        return applied(await driver.run(sql.touch.text, bind(sql.touch, values)));
      });
    },
    delete(key): Promise<boolean> {
      return operation('delete', async () => {
        const rows = await driver.all(sql.delete.text, bind(sql.delete, { key, now: now() }));
        return rows.some((row) => row.live === true || row.live === 1);
      });
    },
    listUserSessions(userId): Promise<UserSessionEntry[]> {
      return operation('list', async () => {
        const rows = await driver.all(sql.list.text, bind(sql.list, { userId, now: now() }));
        return rows.map((row) => ({ key: String(row.key), meta: decodeMeta(String(row.meta)) }));
      });
    },
    async sweepExpired({ batchSize = dialect.sweepBatchSize }: SweepOptions = {}): Promise<number> {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new SessionConfigError('batchSize', 'must be a positive integer');
      }
      return operation('delete', async () => {
        let total = 0;
        for (;;) {
          const params = bind(sql.sweep, { now: now(), limit: batchSize });
          const changes = await driver.run(sql.sweep.text, params);
          total += changes;
          if (changes < batchSize) return total;
        }
      });
    },
    async migrate(): Promise<void> {
      for (const statement of dialect.schema) await driver.run(statement, []);
      schema.markDone();
    },
    checkSchema(): Promise<void> {
      return schema.run();
    },
  };
}
