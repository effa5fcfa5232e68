import { decodeMeta, encodeMeta, isExpired } from '@fetch-session/core/store-kit';
import type { WireDeleteAnswer, WireRecord, WireWrite, WireWriteAnswer } from './wire.js';

/**
 * One object's SQLite storage: the session it holds (one row plus its fields), and, for a
 * user's object, the keys of that user's sessions. Every function here is synchronous, so each
 * runs as one storage transaction with no other request in between (the object runs one event
 * at a time and SQLite writes are committed together).
 */
export class SessionStorage {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    // `expires_at` NULL: never. `reclaim_at`: when the alarm may drop the row (wall clock).
    sql.exec(`CREATE TABLE IF NOT EXISTS session (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      meta TEXT NOT NULL,
      expires_at REAL,
      reclaim_at REAL
    )`);
    sql.exec('CREATE TABLE IF NOT EXISTS field (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    sql.exec('CREATE TABLE IF NOT EXISTS member (key TEXT PRIMARY KEY)');
  }

  /** The live session, or `undefined`; an expired one is dropped on the way. */
  load(now: number): WireRecord | undefined {
    const row = this.#live(now);
    if (row === undefined) return undefined;
    const fields = this.#sql
      .exec<{ name: string; value: string }>('SELECT name, value FROM field')
      .toArray()
      .map(({ name, value }) => [name, value] as const);
    return { meta: row.meta, fields };
  }

  /** The live session's metadata text, without its fields (for session lists). */
  meta(now: number): string | undefined {
    return this.#live(now)?.meta;
  }

  /**
   * Applies a write by its mode: `create` is refused over a live session, `update` over a
   * missing or expired one (no resurrection, S21). `reclaimAt` is when the alarm may drop it.
   */
  write(write: WireWrite, reclaimAt: number | undefined): WireWriteAnswer {
    const live = this.#live(write.now);
    if (write.mode === 'create' ? live !== undefined : live === undefined) {
      return { outcome: 'conflict' };
    }
    const before = live === undefined ? undefined : decodeMeta(live.meta).userId;
    const after = write.meta.userId;
    if (after !== undefined && after !== before && after !== write.indexedUser) {
      return { outcome: 'unindexed' };
    }
    const expiresAt = write.expiresAt === Number.POSITIVE_INFINITY ? null : write.expiresAt;
    this.#sql.exec(
      `INSERT INTO session (id, meta, expires_at, reclaim_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET meta = excluded.meta, expires_at = excluded.expires_at,
       reclaim_at = excluded.reclaim_at`,
      encodeMeta(write.meta),
      expiresAt,
      reclaimAt ?? null,
    );
    for (const [name, value] of write.set) {
      this.#sql.exec(
        'INSERT INTO field (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        name,
        value,
      );
    }
    for (const name of write.delete) this.#sql.exec('DELETE FROM field WHERE name = ?', name);
    return before !== undefined && before !== after
      ? { outcome: 'ok', previousUser: before }
      : { outcome: 'ok' };
  }

  /** Deletes the session; says whether a live one existed and whose it was. */
  delete(now: number): WireDeleteAnswer {
    const row = this.#row();
    if (row === undefined) return { existed: false };
    this.#clear();
    const user = decodeMeta(row.meta).userId;
    const existed = !isExpired(row.expires_at ?? Number.POSITIVE_INFINITY, now);
    return user === undefined ? { existed } : { existed, user };
  }

  /** When the alarm may drop the session (wall clock ms), if it ever may. */
  reclaimAt(): number | undefined {
    return this.#row()?.reclaim_at ?? undefined;
  }

  /** Drops the session if its reclaim time has come; returns the reclaim time still ahead. */
  reclaim(wallNow: number): number | undefined {
    const at = this.reclaimAt();
    if (at === undefined) return undefined;
    if (at > wallNow) return at;
    this.#clear();
    return undefined;
  }

  /** Adds a session key to this (user's) object's index. */
  addMember(key: string): void {
    this.#sql.exec('INSERT INTO member (key) VALUES (?) ON CONFLICT DO NOTHING', key);
  }

  /** Removes session keys from this (user's) object's index. */
  removeMembers(keys: readonly string[]): void {
    for (const key of keys) this.#sql.exec('DELETE FROM member WHERE key = ?', key);
  }

  /** The session keys in this (user's) object's index. */
  members(): string[] {
    return this.#sql
      .exec<{ key: string }>('SELECT key FROM member')
      .toArray()
      .map(({ key }) => key);
  }

  /** How many rows the object holds in all (for tests of reclaiming). */
  rowCount(): number {
    const count = (table: string) =>
      this.#sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n;
    return count('session') + count('field') + count('member');
  }

  #row(): { meta: string; expires_at: number | null; reclaim_at: number | null } | undefined {
    return this.#sql
      .exec<{ meta: string; expires_at: number | null; reclaim_at: number | null }>(
        'SELECT meta, expires_at, reclaim_at FROM session',
      )
      .toArray()[0];
  }

  #live(now: number): { meta: string } | undefined {
    const row = this.#row();
    if (row === undefined) return undefined;
    if (isExpired(row.expires_at ?? Number.POSITIVE_INFINITY, now)) {
      this.#clear();
      return undefined;
    }
    return row;
  }

  #clear(): void {
    this.#sql.exec('DELETE FROM session');
    this.#sql.exec('DELETE FROM field');
  }
}
