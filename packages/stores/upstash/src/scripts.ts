/**
 * The Lua scripts the store runs. Each store operation is one `EVALSHA` (one HTTP request to
 * Upstash); the client falls back to `EVAL` once when Redis answers `NOSCRIPT`.
 *
 * Layout of one session, a Redis hash at exactly the key the core passes (prefix + SHA-256
 * of the session ID, S28):
 *
 * | field                   | value                                                     |
 * | ----------------------- | --------------------------------------------------------- |
 * | `_meta`                 | JSON `{"createdAt":…,"lastSeenAt":…,"permanent":…}`        |
 * | `d:<key>` / `f:<key>`   | one serialized top-level session key / flash value         |
 *
 * The core namespaces every data field with `d:` or `f:`, so `_meta` cannot collide with one;
 * the store refuses a patch naming it anyway. The hash carries the record's expiry
 * (`PEXPIREAT`), refreshed by every write and touch.
 * @module
 */

/** The reserved hash field holding the session's metadata. */
export const META_FIELD = '_meta';

/**
 * Marks each returned string so that a client with automatic deserialization (the
 * `@upstash/redis` default) cannot `JSON.parse` it: no JSON text starts with `.`.
 */
export const REPLY_MARK = '.';

/**
 * Load. `KEYS[1]`: the session hash. Returns a flat array `field, value, …` with every string
 * prefixed by {@link REPLY_MARK}; an empty array when there is no session.
 */
export const LOAD_SCRIPT: string = `local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat do flat[i] = '${REPLY_MARK}' .. flat[i] end
return flat`;

/**
 * Write, create and touch in one script, so a patch is atomic and a touch rewrites no data.
 *
 * `KEYS[1]`: the session hash. `ARGV[1]`: `create` (the hash must not exist) or `update` (it
 * must exist, so a write after `destroy()` never resurrects the session, S21). `ARGV[2]`:
 * expiry instant, epoch ms, for `PEXPIREAT`. `ARGV[3]`: metadata JSON. `ARGV[4]`: n, the
 * number of fields to set; then n field/value pairs; then the fields to delete.
 *
 * Returns 1 when applied, 0 on a conflict (nothing changed).
 */
export const WRITE_SCRIPT: string = `local key = KEYS[1]
local exists = redis.call('EXISTS', key) == 1
if ARGV[1] == 'create' then
  if exists then return 0 end
elseif not exists then
  return 0
end
redis.call('HSET', key, '${META_FIELD}', ARGV[3])
local last = 4 + 2 * tonumber(ARGV[4])
for i = 5, last, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV do redis.call('HDEL', key, ARGV[i]) end
redis.call('PEXPIREAT', key, ARGV[2])
return 1`;
