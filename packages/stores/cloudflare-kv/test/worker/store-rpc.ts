import type {
  SessionMeta,
  SessionPatch,
  SessionStore,
  SessionWriteOptions,
} from '@fetch-session/core';
import { SessionStoreError } from '@fetch-session/core/errors';
import { isRedacted } from '@fetch-session/core/store-kit';

/** A store error as it crosses the fetch boundary back to the test process. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly operation?: string;
  readonly cause?: { readonly name: string; readonly message: string };
  /** For a redacted error: the original's message, so tests can check what was redacted. */
  readonly original?: string;
  /** The runtime's retry advice on a Durable Object error, when it gave one. */
  readonly retryable?: boolean;
  readonly overloaded?: boolean;
}

/**
 * Exposes a store's methods over fetch: `POST /load`, `/write`, `/touch`, `/delete`,
 * `/listUserSessions` with the method's arguments as a JSON body; `/writeConcurrently` makes
 * one `write` per patch of `patches`, and `/writeEach` one `write` of `patch` per key of
 * `keys`, all at once inside the isolate. Every call runs here, inside workerd, against the real KV
 * binding. Answers `{ result }`, or status 500 with `{ error }`.
 */
export async function callStore(
  store: SessionStore,
  op: string,
  request: Request,
): Promise<Response> {
  const body = (await request.json()) as Body;
  try {
    const result = await dispatch(store, op, body);
    return Response.json({ result: result ?? null });
  } catch (error) {
    return Response.json({ error: toWire(error) }, { status: 500 });
  }
}

/** The arguments of a store method, by name. */
interface Body {
  readonly key: string;
  readonly patch: SessionPatch;
  readonly meta: SessionMeta;
  readonly options: SessionWriteOptions;
  readonly userId: string;
  readonly patches: readonly SessionPatch[];
  readonly keys: readonly string[];
}

function dispatch(store: SessionStore, op: string, body: Body): Promise<unknown> {
  switch (op) {
    case 'load':
      return store.load(body.key);
    case 'write':
      return store.write(body.key, body.patch, body.options);
    case 'touch':
      if (store.touch === undefined) throw new Error('no touch');
      return store.touch(body.key, body.meta, body.options);
    case 'delete':
      return store.delete(body.key);
    case 'writeConcurrently':
      return Promise.all(body.patches.map((patch) => store.write(body.key, patch, body.options)));
    case 'writeEach':
      return Promise.all(body.keys.map((key) => store.write(key, body.patch, body.options)));
    case 'listUserSessions':
      if (store.listUserSessions === undefined) throw new Error('no listUserSessions');
      return store.listUserSessions(body.userId);
    default:
      throw new Error(`unknown store operation ${op}`);
  }
}

function toWire(error: unknown): WireError {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  return {
    name,
    message,
    ...(error instanceof SessionStoreError && { operation: error.operation }),
    ...(cause && { cause: { name: cause.name, message: cause.message } }),
    ...(isRedacted(error) && { original: String((error.original as Error)?.message) }),
    ...flag(error, 'retryable'),
    ...flag(error, 'overloaded'),
  };
}

function flag(error: unknown, name: 'retryable' | 'overloaded'): Partial<WireError> {
  const value = typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined;
  return typeof value === 'boolean' ? { [name]: value } : {};
}
