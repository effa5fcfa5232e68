import type { WireDeleteAnswer, WireRecord, WireWrite, WireWriteAnswer } from './wire.js';

/**
 * The part of a Durable Object namespace binding this store uses, structurally: an
 * `env.SESSIONS` bound to {@link SessionObject} (`DurableObjectNamespace<SessionObject>`)
 * satisfies it as it is.
 */
export interface SessionObjectNamespace {
  idFromName(name: string): unknown;
  get(id: never): SessionObjectStub;
}

/** The RPC methods of {@link SessionObject} the store calls through a stub. */
export interface SessionObjectStub {
  load(now: number): Promise<WireRecord | null>;
  meta(now: number): Promise<string | null>;
  write(write: WireWrite): Promise<WireWriteAnswer>;
  delete(now: number): Promise<WireDeleteAnswer>;
  addMember(key: string): Promise<void>;
  removeMembers(keys: readonly string[]): Promise<void>;
  members(): Promise<string[]>;
}
