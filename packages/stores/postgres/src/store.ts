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
import { resolveQuery } from './client.js';
import { type PostgresStoreOptions, resolveOptions } from './options.js';
import { checkSchema, createSchema } from './schema.js';
import { statements } from './statements.js';
import { parseTableName } from './table-name.js';

/** Options of {@link PostgresStore.sweepExpired}. */
export interface SweepOptions {
  /** Rows deleted per statement, so a large backlog never holds one long lock. @default 1000 */
  readonly batchSize?: number;
}

/** A {@link SessionStore} on PostgreSQL, with its schema and expiry tools. */
export interface PostgresStore extends SessionStore {
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
   * through the `expires_at` index. Resolves to how many rows it deleted. Schedule it: see the
   * README (an interval on Node, a cron trigger on Workers).
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

const NAME = 'postgres';

/**
 * Creates a PostgreSQL store over your own client (`postgres` or `pg`). Options are checked
 * here: a bad one throws `SessionConfigError` naming it.
 *
 * One row per session: `meta` and `fields` as `jsonb`, `user_id` (indexed) for the per-user
 * index, `expires_at` from the core's `expiresAt`. Every operation is one statement: a commit
 * patches the fields in place (`fields || $set - $delete`), so concurrent commits changing
 * different keys of one session all survive. Every failure is a `SessionStoreError` (adapters
 * answer 503) whose `cause` keeps only the error's name and SQLSTATE: driver messages quote
 * values.
 *
 * @example
 * ```ts
 * import { createSessionManager } from '@fetch-session/core';
 * import { postgresStore } from '@fetch-session/postgres';
 * import postgres from 'postgres';
 *
 * const store = postgresStore({ sql: postgres(process.env.DATABASE_URL) });
 * await store.migrate(); // or run schema.sql once
 * const sessions = createSessionManager({ store, secrets: [process.env.SESSION_SECRET] });
 * ```
 */
export function postgresStore(options: PostgresStoreOptions): PostgresStore {
  const settings = resolveOptions(options);
  const query = resolveQuery(options);
  const table = parseTableName(settings.table);
  const { now } = settings;
  const sql = statements(table);

  /** The schema check, shared by concurrent first calls; forgotten if it fails, to retry. */
  let checked: Promise<void> | undefined = settings.checkSchema ? undefined : Promise.resolve();
  const ready = (): Promise<void> => {
    checked ??= checkSchema(query, table, sql).catch((error: unknown) => {
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
      throw new SessionStoreError(NAME, operation, { cause });
    }
  }

  const time = (expiresAt: number): string | null => {
    checkExpiresAt(expiresAt);
    return expiresAt === Number.POSITIVE_INFINITY ? null : String(expiresAt);
  };
  const clock = (): string => String(now());

  return {
    name: NAME,
    load(key): Promise<SessionRecord | undefined> {
      return guard('load', async () => {
        const { rows } = await query(sql.load, [key, clock()]);
        const row = rows[0];
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
            Object.entries(patch.set).filter(([name]) => !deleted.has(name)),
          );
          const { rowCount } = await query(sql.create, [
            key,
            encodeMeta(patch.meta),
            JSON.stringify(fields),
            userId,
            time(expiresAt),
            clock(),
          ]);
          return rowCount === 1 ? 'ok' : 'conflict';
        }
        const { rowCount } = await query(sql.update, [
          key,
          JSON.stringify(patch.set),
          JSON.stringify(patch.delete),
          encodeMeta(patch.meta),
          userId,
          time(expiresAt),
          clock(),
        ]);
        return rowCount === 1 ? 'ok' : 'conflict';
      });
    },
    touch(key, meta, { expiresAt }): Promise<SessionWriteOutcome> {
      return guard('touch', async () => {
        const { rowCount } = await query(sql.touch, [
          key,
          encodeMeta(meta),
          meta.userId ?? null,
          time(expiresAt),
          clock(),
        ]);
        return rowCount === 1 ? 'ok' : 'conflict';
      });
    },
    delete(key): Promise<boolean> {
      return guard('delete', async () => {
        const { rows } = await query(sql.delete, [key, clock()]);
        return rows.some((row) => row.live === true);
      });
    },
    listUserSessions(userId): Promise<UserSessionEntry[]> {
      return guard('list', async () => {
        const { rows } = await query(sql.list, [userId, clock()]);
        return rows.map((row) => ({ key: String(row.key), meta: decodeMeta(String(row.meta)) }));
      });
    },
    async sweepExpired({ batchSize = 1000 }: SweepOptions = {}): Promise<number> {
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new SessionConfigError('batchSize', 'must be a positive integer');
      }
      return guard('delete', async () => {
        let total = 0;
        for (;;) {
          const { rowCount } = await query(sql.sweep, [clock(), String(batchSize)]);
          total += rowCount;
          if (rowCount < batchSize) return total;
        }
      });
    },
    async migrate(): Promise<void> {
      await createSchema(query, table);
      checked = Promise.resolve();
    },
    checkSchema(): Promise<void> {
      return ready();
    },
  };
}
