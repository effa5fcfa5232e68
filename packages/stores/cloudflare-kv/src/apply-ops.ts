import type { SessionWriteOutcome } from '@fetch-session/core';
import type { QueuedOp } from './queued-op.js';
import type { StoredSession } from './record-codec.js';

/** The result of applying a batch of queued calls to what KV holds. */
export interface AppliedOps {
  /** The record to write, or `undefined` when it must not exist. */
  readonly state: StoredSession | undefined;
  /** One outcome per call, in order. */
  readonly outcomes: SessionWriteOutcome[];
  /** Whether KV must be written at all (nothing changes when every call was refused). */
  readonly changed: boolean;
  /** Whether a call created the record (which ends a tombstone for its key). */
  readonly created: boolean;
}

/**
 * Applies queued calls in arrival order, as if each ran alone when it was made: `create` is
 * refused over a live record, `update` and `touch` over a missing or expired one (no
 * resurrection, S21), `delete` removes it. `current` is what KV holds, expired or not.
 * Fields are merged through a `Map`, so no field name can reach `Object.prototype` (S30).
 * The expiry kept is the latest any applied call asked for: the store's TTL only collects
 * garbage, the core decides expiry from the metadata.
 */
export function applyOps(current: StoredSession | undefined, ops: readonly QueuedOp[]): AppliedOps {
  let state = current;
  let changed = false;
  let created = false;
  const outcomes = ops.map((op): SessionWriteOutcome => {
    if (op.kind === 'delete') {
      state = undefined;
      changed = true;
      return 'ok';
    }
    const live = state !== undefined && state.expiresAt > op.at ? state : undefined;
    const mode = op.kind === 'touch' ? 'update' : op.mode;
    if (mode === 'create' ? live !== undefined : live === undefined) return 'conflict';
    // Within a batch, keep the latest expiry asked for; a record from KV is simply replaced.
    const expiresAt = Math.max(op.expiresAt, live !== undefined && changed ? live.expiresAt : 0);
    if (op.kind === 'touch') {
      state = { meta: op.meta, fields: live?.fields ?? {}, expiresAt };
    } else {
      // An expired record is not merged into a new one.
      const fields = new Map(Object.entries(live?.fields ?? {}));
      for (const [field, value] of Object.entries(op.patch.set)) fields.set(field, value);
      for (const field of op.patch.delete) fields.delete(field);
      state = { meta: op.patch.meta, fields: Object.fromEntries(fields), expiresAt };
      if (mode === 'create') created = true;
    }
    changed = true;
    return 'ok';
  });
  return { state, outcomes, changed, created };
}
