import { DurableObject } from 'cloudflare:workers';
import { millisecondsUntil } from '@fetch-session/core/store-kit';
import { SessionStorage } from './session-storage.js';
import type { WireDeleteAnswer, WireRecord, WireWrite, WireWriteAnswer } from './wire.js';

/**
 * The Durable Object that keeps sessions, for {@link durableObjectStore}. Export it from your
 * Worker's entry module and bind it with a SQLite-backed migration (see the README):
 *
 * ```toml
 * [[durable_objects.bindings]]
 * name = "SESSIONS"
 * class_name = "SessionObject"
 *
 * [[migrations]]
 * tag = "v1"
 * new_sqlite_classes = ["SessionObject"]
 * ```
 *
 * One object holds one session (named `session:<store key>`); one object per user (named
 * `user:<user ID>`) holds that user's index. Each method is one storage transaction: the object
 * runs one event at a time, so concurrent commits to a session are applied one after another,
 * and a delete is seen by the very next request from any location (there is one object per
 * session in the world). An alarm reclaims an expired session's storage
 * {@link SessionObject.reclaimDelay} ms after it expires; the store never returns it after its
 * `expiresAt` meanwhile. The methods are the store's RPC surface, not an API for applications.
 *
 * @example
 * ```ts
 * // src/index.ts of your Worker
 * export { SessionObject } from '@fetch-session/durable-objects';
 * ```
 */
export class SessionObject extends DurableObject {
  /**
   * How long after a session's expiry its storage is reclaimed by an alarm, in ms: the store's
   * clock decides expiry, this only frees storage, so a margin keeps a clock that differs from
   * the object's from ever losing a live session.
   * @default 60_000
   */
  protected readonly reclaimDelay: number = 60_000;

  readonly #storage: SessionStorage;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#storage = new SessionStorage(ctx.storage.sql);
  }

  /** The live session, or `null`. */
  load(now: number): WireRecord | null {
    return this.#storage.load(now) ?? null;
  }

  /** The live session's metadata (`encodeMeta` text), or `null`. */
  meta(now: number): string | null {
    return this.#storage.meta(now) ?? null;
  }

  /** Applies a write or a touch in one transaction; schedules the reclaiming alarm. */
  async write(write: WireWrite): Promise<WireWriteAnswer> {
    const reclaimAt =
      write.expiresAt === Number.POSITIVE_INFINITY
        ? undefined
        : Date.now() + millisecondsUntil(write.expiresAt, write.now) + this.reclaimDelay;
    const answer = this.ctx.storage.transactionSync(() => this.#storage.write(write, reclaimAt));
    if (answer.outcome === 'ok' && reclaimAt !== undefined) await this.#scheduleAlarm(reclaimAt);
    return answer;
  }

  /** Deletes the session. */
  delete(now: number): WireDeleteAnswer {
    return this.ctx.storage.transactionSync(() => this.#storage.delete(now));
  }

  /** Adds a session to this user's index. */
  addMember(key: string): void {
    this.#storage.addMember(key);
  }

  /** Removes sessions from this user's index. */
  removeMembers(keys: readonly string[]): void {
    this.ctx.storage.transactionSync(() => this.#storage.removeMembers(keys));
  }

  /** The keys in this user's index. */
  members(): string[] {
    return this.#storage.members();
  }

  /** Reclaims an expired session's storage, or waits again for a session written since. */
  override async alarm(): Promise<void> {
    const ahead = this.ctx.storage.transactionSync(() => this.#storage.reclaim(Date.now()));
    if (ahead !== undefined) await this.ctx.storage.setAlarm(ahead);
  }

  /** Setting an alarm is a storage write: only when none is due before `at`. */
  async #scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}
