/**
 * The clients the store accepts, recognised by shape (the store imports neither library), and
 * their transports: `EVALSHA` / `EVAL` with the keys first, so a Cluster client routes each
 * call to the node owning its key's slot.
 * @module
 */
import { SessionConfigError } from '@fetch-session/core/errors';
import type { RedisLayout, RedisTransport } from '@fetch-session/redis-core';

/** The part of a node-redis v5 client (`createClient()` or `createCluster()`) the store calls. */
export interface NodeRedisClient {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  readonly isOpen: boolean;
}

/** The part of an ioredis client (`new Redis()` or `new Cluster()`) the store calls. */
export interface IORedisClient {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  readonly status: string;
  readonly isCluster: boolean;
}

/** The part of Bun's built-in `RedisClient` (`new Bun.RedisClient(url)`) the store calls. */
export interface BunRedisClient {
  send(command: string, args: string[]): Promise<unknown>;
  readonly connected: boolean;
}

/** Any client the store accepts. */
export type RedisClient = NodeRedisClient | IORedisClient | BunRedisClient;

/** A recognised client: its transport and whether it speaks to a Cluster. */
export interface ResolvedClient {
  readonly transport: RedisTransport;
  readonly layout: RedisLayout;
}

/** Recognises the client and checks its settings; a bad one is a `SessionConfigError`. */
export function resolveClient(client: unknown): ResolvedClient {
  if (typeof client !== 'object' || client === null) {
    throw new SessionConfigError(
      'client',
      "must be a node-redis client (createClient / createCluster), an ioredis Redis or Cluster, or Bun's RedisClient",
    );
  }
  const shape = client as Record<string, unknown>;
  // node-redis' callback-style `client.legacy()` has evalSha too, but no `isOpen`.
  if (
    typeof shape.evalSha === 'function' &&
    typeof shape.eval === 'function' &&
    typeof shape.isOpen === 'boolean'
  ) {
    return nodeRedis(client as NodeRedisClient);
  }
  if (typeof shape.evalsha === 'function' && typeof shape.status === 'string') {
    return ioredis(client as IORedisClient);
  }
  if (typeof shape.send === 'function' && typeof shape.connected === 'boolean') {
    return bunRedis(client as BunRedisClient);
  }
  throw new SessionConfigError(
    'client',
    'must be a node-redis v5 client (createClient / createCluster; not `client.legacy()`), ' +
      "an ioredis Redis or Cluster, or Bun's RedisClient",
  );
}

/** Bun's client speaks to a single node (it connects on first use and reconnects itself). */
function bunRedis(client: BunRedisClient): ResolvedClient {
  const call = async (command: string, args: string[]) =>
    checkReply(await client.send(command, args));
  return {
    layout: 'single-slot',
    transport: {
      evalsha: (sha, keys, args) => call('EVALSHA', [sha, String(keys.length), ...keys, ...args]),
      eval: (script, keys, args) => call('EVAL', [script, String(keys.length), ...keys, ...args]),
    },
  };
}

function nodeRedis(client: NodeRedisClient): ResolvedClient {
  // createCluster() clients have `masters` and `getSlotMaster`; createClient() ones do not.
  const cluster = typeof (client as { getSlotMaster?: unknown }).getSlotMaster === 'function';
  const rediscover = cluster ? slotMapRefresher(client) : () => {};
  const call = async (run: () => Promise<unknown>): Promise<unknown> => {
    if (!client.isOpen) {
      throw new SessionConfigError(
        'client',
        'is not connected: `await client.connect()` before serving requests',
      );
    }
    let reply: unknown;
    try {
      reply = await run();
    } catch (error) {
      rediscover();
      throw error;
    }
    return checkReply(reply);
  };
  return {
    layout: cluster ? 'cluster' : 'single-slot',
    transport: {
      evalsha: (sha, keys, args) =>
        call(() => client.evalSha(sha, { keys: [...keys], arguments: [...args] })),
      eval: (script, keys, args) =>
        call(() => client.eval(script, { keys: [...keys], arguments: [...args] })),
    },
  };
}

/** The least time between two slot-map refreshes the store asks of a node-redis Cluster. */
const REFRESH_INTERVAL = 100;

/**
 * node-redis v5 refreshes a Cluster's slot map only on a `MOVED` or `ASK` reply: after a
 * master dies, every call for its slots fails (the dead node never answers `MOVED`) until the
 * app restarts, even once a replica has taken over. So after a failed call the store asks
 * the client to refresh its map (at most every {@link REFRESH_INTERVAL} ms, one at a time),
 * through its `_slots.rediscover`, part of its published types; a client without it is left
 * alone.
 */
function slotMapRefresher(client: NodeRedisClient): () => void {
  let last = 0;
  return () => {
    const slots = (client as { _slots?: NodeRedisSlots })._slots;
    if (typeof slots?.rediscover !== 'function' || Date.now() - last < REFRESH_INTERVAL) return;
    last = Date.now();
    // Any live master client serves as the starting point; node-redis falls back to the
    // root nodes when it cannot answer.
    const start =
      slots.masters?.find((master) => master.client?.isReady === true)?.client ??
      slots.masters?.find((master) => master.client !== undefined)?.client;
    if (start === undefined) return;
    slots.rediscover(start).catch(() => {});
  };
}

interface NodeRedisSlots {
  rediscover?(startWith: unknown): Promise<void>;
  masters?: readonly { readonly client?: { readonly isReady?: boolean } }[];
}

function ioredis(client: IORedisClient): ResolvedClient {
  const options = (client as { options?: Record<string, unknown> }).options ?? {};
  const redisOptions = (options.redisOptions ?? {}) as Record<string, unknown>;
  const keyPrefix = options.keyPrefix ?? redisOptions.keyPrefix;
  if (typeof keyPrefix === 'string' && keyPrefix !== '') {
    // ioredis prefixes KEYS but not the key names a script stores (the index members):
    // lists would name keys the client then prefixes a second time.
    throw new SessionConfigError(
      'client',
      "has ioredis' `keyPrefix` set: remove it and set the session manager's and the store's " +
        '`keyPrefix` instead',
    );
  }
  const call = async (run: () => Promise<unknown>): Promise<unknown> => {
    if (client.status === 'end') {
      throw new SessionConfigError(
        'client',
        'is closed (`quit()` or `disconnect()` was called): give the store an open client',
      );
    }
    return checkReply(await run());
  };
  return {
    layout: client.isCluster === true ? 'cluster' : 'single-slot',
    transport: {
      evalsha: (sha, keys, args) => call(() => client.evalsha(sha, keys.length, ...keys, ...args)),
      eval: (script, keys, args) => call(() => client.eval(script, keys.length, ...keys, ...args)),
    },
  };
}

/**
 * Refuses Buffer replies (node-redis with a `typeMapping` to Buffer): the store reads text.
 * Numbers, strings and arrays of them pass; RESP3 changes none of the scripts' replies.
 */
function checkReply(reply: unknown): unknown {
  if (reply instanceof Uint8Array || (Array.isArray(reply) && reply.some(isBinary))) {
    throw new SessionConfigError(
      'client',
      'returns Buffers (a `typeMapping` of strings to Buffer): give the store a client that ' +
        'returns strings',
    );
  }
  return reply;
}

function isBinary(item: unknown): boolean {
  return item instanceof Uint8Array || (Array.isArray(item) && item.some(isBinary));
}
