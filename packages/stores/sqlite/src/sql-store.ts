import type {
  SessionMeta,
  SessionRecord,
  SessionStore,
  SessionWriteOutcome,
  UserSessionEntry,
} from '@fetch-session/core';
import {
  SessionConfigError,
  SessionStoreError,
  type SessionStoreOperation,
} from '@fetch-session/core/errors';
import {
  checkExpiresAt,
  decodeMeta,
  encodeMeta,
  parseFields,
  redactError,
} from '@fetch-session/core/store-kit';
import type { SqlDriver } from './driver.js';
import { resolveOptions, type SqlStoreOptions } from './options.js';
import { checkSchema, createSchema } from './schema.js';
import { statements } from './statements.js';
import { parseTableName } from './table-name.js';

/** Options of {@link SqlSessionStore.sweepExpired}. */
export interface SweepOptions {
  /** Rows deleted per statement, so a large backlog never holds the write lock long. @default 500 */
  readonly batchSize?: number;
}

/** A {@link SessionStore} on SQLite or D1, with its schema and expiry tools. */
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
   * Deletes the expired rows (loads already ignore them; this reclaims the space), in
   * batches through the `expires_at` index; resolves to how many it deleted. Schedule it: an
   * interval on a long-running server, a cron trigger on Workers (see the README).
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

/**
 * The store over any {@link SqlDriver}: the one copy of the logic behind `sqliteStore` and
 * `d1Store`. One row per session, one statement per operation.
 */
export function createSqlStore(
  name: string,
  driver: SqlDriver,
  options: SqlStoreOptions,
): SqlSessionStore {
  const settings = resolveOptions(options);
  const table = parseTableName(settings.table);
  const { now } = settings;
  const sql = statements(table);

  /** The schema check, shared by concurrent first calls; forgotten if it fails, to retry. */
  let checked: Promise<void> | undefined = settings.checkSchema ? undefined : Promise.resolve();
  const ready = (): Promise<void> => {
    checked ??= checkSchema(driver, table, sql).catch((error: unknown) => {
      checked = undefined;
      throw error;
    });
    return checked;
  };

  /** Runs one operation; any failure becomes a `SessionStoreError` with a redacted cause. */
  async function guard<T>(operation: SessionStoreOperation, call: () => Promise<T>): Promise<T> {
    try {
      await ready();
      return await call();
    } catch (error) {
      // Our own schema errors say which table or column is wrong and quote no data.
      const cause = error instanceof SessionConfigError ? error : redactError(error);
      throw new SessionStoreError(name, operation, { cause });
    }
  }

  const time = (expiresAt: number): number | null => {
    checkExpiresAt(expiresAt);
    return expiresAt === Number.POSITIVE_INFINITY ? null : expiresAt;
  };

  return {
    name,
    load(key): Promise<SessionRecord | undefined> {
      return guard('load', async () => {
        const row = await driver.get(sql.load, [key, now()]);
        if (row === undefined) return undefined;
        return {
          meta: decodeMeta(String(row.meta)),
          fields: parseFields(JSON.parse(String(row.fields))),
        };
      });
    },
    write(key, patch, { mode, expiresAt }): Promise<SessionWriteOutcome> {
      return guard('write', async () => {
        const userId = patch.meta.userId ?? null;
        if (mode === 'create') {
          const deleted = new Set(patch.delete);
          const fields = Object.fromEntries(
            Object.entries(patch.set).filter(([field]) => !deleted.has(field)),
          );
          const changes = await driver.run(sql.create, [
            key,
            encodeMeta(patch.meta),
            JSON.stringify(fields),
            userId,
            time(expiresAt),
            now(),
          ]);
          return changes === 1 ? 'ok' : 'conflict';
        }
        const changes = await driver.run(sql.update, [
          JSON.stringify(patch.set),
          JSON.stringify(patch.delete),
          encodeMeta(patch.meta),
          userId,
          time(expiresAt),
          key,
          now(),
        ]);
        return changes === 1 ? 'ok' : 'conflict';
      });
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return guard('touch', async () => {
        const changes = await driver.run(sql.touch, [
          encodeMeta(meta),
          meta.userId ?? null,
          time(expiresAt),
          key,
          now(),
        ]);
        return changes === 1 ? 'ok' : 'conflict';
      });
    },
    delete(key): Promise<boolean> {
      return guard('delete', async () => {
        const rows = await driver.all(sql.delete, [key, now()]);
        return rows.some((row) => row.live === 1 || row.live === true);
      });
    },
    listUserSessions(userId): Promise<UserSessionEntry[]> {
      return guard('list', async () => {
        const rows = await driver.all(sql.list, [userId, now()]);
        return rows.map((row) => ({ key: String(row.key), meta: decodeMeta(String(row.meta)) }));
      });
    },
    async sweepExpired({ batchSize = 500 }: SweepOptions = {}): Promise<number> {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new SessionConfigError('batchSize', 'must be a positive integer');
      }
      return guard('delete', async () => {
        let total = 0;
        for (;;) {
          const changes = await driver.run(sql.sweep, [now(), batchSize]);
          total += changes;
          if (changes < batchSize) return total;
        }
      });
    },
    async migrate(): Promise<void> {
      await createSchema(driver, table);
      checked = Promise.resolve();
    },
    checkSchema(): Promise<void> {
      return ready();
    },
  };
}
