import type { SessionMeta, SessionPatch, SessionWriteOutcome } from '@fetch-session/core';

/**
 * One store call waiting for its key's next KV write. `at` is when the call was made: a record
 * live at that moment counts as live for the call, however long it waited for the write slot.
 */
export type QueuedOp =
  | {
      readonly kind: 'write';
      readonly at: number;
      readonly patch: SessionPatch;
      readonly mode: 'create' | 'update';
      readonly expiresAt: number;
    }
  | {
      readonly kind: 'touch';
      readonly at: number;
      readonly meta: SessionMeta;
      readonly expiresAt: number;
    }
  | { readonly kind: 'delete' };

/** What a queued call resolves to; a delete resolves to `ok`. */
export type QueuedOutcome = SessionWriteOutcome;
