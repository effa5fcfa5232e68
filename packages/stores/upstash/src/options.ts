/**
 * Options of the Upstash store, checked at construction, and the client they resolve to.
 * @module
 */
import { SessionConfigError } from '@fetch-session/core/errors';
import { Redis, type RedisConfigNodejs } from '@upstash/redis';

/**
 * The part of an `@upstash/redis` client the store calls. A client from any entry point
 * (`@upstash/redis`, `@upstash/redis/cloudflare`, `@upstash/redis/fastly`) fits.
 */
export type UpstashClient = Pick<Redis, 'evalsha' | 'eval'>;

/**
 * Settings of the client the store creates itself (from `url` and `token`, or from the
 * environment): `retry`, `enableAutoPipelining`, `readYourWrites`, `signal`, ...
 * `automaticDeserialization` is always off on that client.
 */
export type UpstashClientSettings = Omit<
  RedisConfigNodejs,
  'url' | 'token' | 'automaticDeserialization'
>;

/** Options of `upstashStore`. Give `redis`, or `url` and `token`, or nothing (environment). */
export interface UpstashStoreOptions {
  /**
   * An `@upstash/redis` client, such as `Redis.fromEnv()`. Its `automaticDeserialization`
   * setting does not matter: the store reads through a script whose replies the client
   * cannot reinterpret. Not together with `url`, `token` or `clientSettings`.
   * @default a client built from `url` and `token`, else from the environment
   */
  redis?: UpstashClient;
  /**
   * The database's REST URL (`UPSTASH_REDIS_REST_URL`), `https://…`. Requires `token`.
   * @default `UPSTASH_REDIS_REST_URL` or `KV_REST_API_URL`, when neither `redis` nor `token` is given
   */
  url?: string;
  /**
   * The database's REST token (`UPSTASH_REDIS_REST_TOKEN`). Requires `url`.
   * @default `UPSTASH_REDIS_REST_TOKEN` or `KV_REST_API_TOKEN`, when neither `redis` nor `url` is given
   */
  token?: string;
  /**
   * Settings of the client the store creates from `url` and `token` or from the environment.
   * Not together with `redis` (configure that client yourself).
   * @default {} (the client's own defaults: auto-pipelining on, network errors retried)
   */
  clientSettings?: UpstashClientSettings;
  /**
   * The session manager's `keyPrefix`, repeated here because a store never learns it: the
   * per-user indexes live at `<keyPrefix>user:<user ID, base64url>`, beside the sessions and
   * never colliding with them. Set it whenever you set the manager's, above all when several
   * apps share one database: apps with the same prefix share their users' session lists.
   * @default 'sess:' (the manager's default)
   */
  keyPrefix?: string;
}

/**
 * Checks the options and returns the client to use. With neither `redis` nor `url`/`token`,
 * follows `Redis.fromEnv()` conventions: `UPSTASH_REDIS_REST_URL` / `UPSTASH_REDIS_REST_TOKEN`,
 * or `KV_REST_API_URL` / `KV_REST_API_TOKEN`.
 */
export function resolveClient(options: UpstashStoreOptions): UpstashClient {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('options', 'must be an object');
  }
  const { redis, url, token, clientSettings } = options;
  if (
    clientSettings !== undefined &&
    (typeof clientSettings !== 'object' || clientSettings === null)
  ) {
    throw new SessionConfigError('clientSettings', 'must be an object');
  }
  if (redis !== undefined) {
    if (url !== undefined || token !== undefined) {
      throw new SessionConfigError(
        url !== undefined ? 'url' : 'token',
        'give either `redis` or `url` and `token`, not both',
      );
    }
    if (clientSettings !== undefined) {
      throw new SessionConfigError(
        'clientSettings',
        'applies only to a client the store creates; configure your `redis` client instead',
      );
    }
    if (!isClient(redis)) {
      throw new SessionConfigError('redis', 'must be an `@upstash/redis` client');
    }
    return redis;
  }
  const settings = { ...clientSettings, automaticDeserialization: false };
  if (url === undefined && token === undefined) return fromEnvironment(settings);
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    throw new SessionConfigError('url', 'must be the http(s) REST URL of the database');
  }
  if (typeof token !== 'string' || token === '' || /\s/.test(token)) {
    throw new SessionConfigError('token', 'must be a non-empty string without whitespace');
  }
  return createClient(() => new Redis({ ...settings, url, token }), 'url');
}

function fromEnvironment(settings: Omit<RedisConfigNodejs, 'url' | 'token'>): UpstashClient {
  const client = createClient(() => Redis.fromEnv(settings), 'redis');
  // fromEnv() only warns when the variables are missing; every request would then fail.
  const http = (client as unknown as { client?: { hasCredentials?: unknown } }).client;
  if (http?.hasCredentials === false) {
    throw new SessionConfigError(
      'redis',
      'no `redis`, `url` or `token` given, and UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN ' +
        '(or KV_REST_API_URL / KV_REST_API_TOKEN) are not set',
    );
  }
  return client;
}

/** Runs the client's constructor, turning its errors into a configuration error. */
function createClient(create: () => Redis, option: 'url' | 'redis'): Redis {
  try {
    return create();
  } catch (error) {
    // The client's own message may quote the URL: name the problem only.
    if (error instanceof Error && error.name === 'UrlError') {
      throw new SessionConfigError('url', 'is not a valid http(s) URL');
    }
    throw new SessionConfigError(
      option,
      option === 'redis'
        ? 'no `redis`, `url` or `token` given, and the environment cannot be read on this runtime'
        : 'the client could not be created from `url` and `token`',
    );
  }
}

function isClient(value: unknown): value is UpstashClient {
  if (typeof value !== 'object' || value === null) return false;
  const client = value as Partial<Record<keyof UpstashClient, unknown>>;
  return typeof client.evalsha === 'function' && typeof client.eval === 'function';
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
