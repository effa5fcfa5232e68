import type { SessionStoreError } from './errors.js';

/**
 * Something that happened to a session, for logs and metrics. `session` is a short
 * fingerprint of the hashed store key: enough to correlate lines, useless as a credential
 * (S24). It is absent where no session was identified.
 */
export type SessionEvent =
  | { readonly type: 'created'; readonly session: string }
  | { readonly type: 'loaded'; readonly session: string }
  | { readonly type: 'touched'; readonly session: string }
  | { readonly type: 'expired'; readonly session: string; readonly reason: 'idle' | 'absolute' }
  | { readonly type: 'invalid-cookie'; readonly reason: 'malformed' | 'bad-signature' }
  | { readonly type: 'unknown-session'; readonly session: string }
  | { readonly type: 'regenerated'; readonly session: string; readonly previous: string }
  | { readonly type: 'destroyed'; readonly session: string }
  | { readonly type: 'write-skipped'; readonly session: string; readonly reason: 'session-gone' }
  | { readonly type: 'corrupt-data'; readonly session: string; readonly key: string }
  /**
   * A stored value failed the `schema` option's validation (an older deploy's shape, or a
   * corrupted write): it reads as absent until the next write of `key`. Never carries the value.
   */
  | { readonly type: 'invalid-data'; readonly session: string; readonly key: string }
  | { readonly type: 'store-error'; readonly session?: string; readonly error: SessionStoreError }
  /**
   * A `Secure` cookie was set on a plain-http request to a host browsers do not treat as
   * secure (not localhost): the browser will drop it. Emitted once per manager; see the
   * `cookie.secure` option. `origin` is the request's origin, e.g. `http://192.168.1.20:3000`.
   */
  | { readonly type: 'insecure-transport'; readonly origin: string };

/** The `type` of every {@link SessionEvent}. */
export type SessionEventType = SessionEvent['type'];

/** Receives session events. Exceptions it throws are swallowed: logging must not break requests. */
export type SessionEventListener = (event: SessionEvent) => void;

/** A short, non-secret correlation handle for a store key (which is itself a hash of the ID). */
export function fingerprintStoreKey(storeKey: string): string {
  return storeKey.slice(-12);
}
