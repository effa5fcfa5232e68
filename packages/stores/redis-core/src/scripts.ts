/**
 * The Lua scripts of the single-slot layout: Upstash and a single Redis node, where one
 * script may touch the session and its user's index together (the Cluster layout splits them:
 * see `cluster-scripts.ts`). Each store operation is one `EVALSHA`; the store falls back to
 * `EVAL` once when Redis answers `NOSCRIPT`.
 *
 * Layout of one session, a Redis hash at exactly the key the core passes (prefix + SHA-256
 * of the session ID, S28), the same in both layouts:
 *
 * | field                 | value                                                              |
 * | --------------------- | ------------------------------------------------------------------ |
 * | `_meta`               | JSON `{"createdAt":…,"lastSeenAt":…,"permanent":…}`, plus `userId` |
 * |                       | and `device` once the session is bound to a user                   |
 * | `_user`               | only in a session bound to a user: the key of that user's index    |
 * | `_ixp`                | Cluster layout only: until when the index entry covers the session |
 * | `d:<key>` / `f:<key>` | one serialized top-level session key / flash value                 |
 *
 * The core namespaces every data field with `d:` or `f:`, so the reserved fields cannot
 * collide with one; the store refuses a patch naming them anyway. The hash carries the
 * record's expiry (`PEXPIREAT`), refreshed by every write and touch.
 *
 * Per-user index: one sorted set per user at `<keyPrefix>user:<userId as base64url of its
 * UTF-8>`, where `keyPrefix` is the store option (the manager's `keyPrefix`, `sess:` by
 * default). Members are the session keys of that user, each scored with an instant no earlier
 * than its session's `expiresAt` (epoch ms); the set's own `PEXPIREAT` is the highest score,
 * so it disappears with its last session. A session key is `keyPrefix` + 43 base64url
 * characters; an index key has a `:` right after `user`, which base64url never contains, so
 * the two never collide.
 *
 * Here the write script `ZADD`s a session to its user's index (and `ZREM`s it from the index
 * named in `_user` when the user changes), the delete script `ZREM`s it, in the same script as
 * the hash change. Expired sessions leave their index lazily: the list script drops members
 * whose score is past (Redis's clock, the one that expires the hashes) or whose hash is gone.
 *
 * The old index key is read from the hash (`_user`) and the sessions from the index, so these
 * scripts touch keys not passed in `KEYS`: fine on Upstash and on a single Redis, not on
 * Redis Cluster (`CROSSSLOT`), nor with Upstash's `allow-key-locking` script flag.
 * @module
 */

/** The reserved hash field holding the session's metadata. */
export const META_FIELD = '_meta';

/** The reserved hash field naming the per-user index the session is listed in. */
export const USER_FIELD = '_user';

/**
 * The reserved hash field, Cluster layout only, holding the score of the session's entry in
 * its index: the write script never extends the session's expiry past it.
 */
export const COVERED_FIELD = '_ixp';

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
 * `KEYS[1]`: the session hash. `KEYS[2]`, only when the metadata names a user: that user's
 * index. `ARGV[1]`: `create` (the hash must not exist) or `update` (it must exist, so a write
 * after `destroy()` never resurrects the session, S21). `ARGV[2]`: expiry instant, epoch ms, for
 * `PEXPIREAT` and the index score. `ARGV[3]`: metadata JSON. `ARGV[4]`: n, the number of fields
 * to set; then n field/value pairs; then the fields to delete.
 *
 * The commands that can fail on a foreign key (`WRONGTYPE`) run before the hash changes.
 * Returns 1 when applied, 0 on a conflict (nothing changed).
 */
export const WRITE_SCRIPT: string = `local key = KEYS[1]
local index = KEYS[2]
local exists = redis.call('EXISTS', key) == 1
if ARGV[1] == 'create' then
  if exists then return 0 end
elseif not exists then
  return 0
end
local previous = exists and redis.call('HGET', key, '${USER_FIELD}')
if index then
  redis.call('ZADD', index, ARGV[2], key)
  local latest = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', index, string.format('%.0f', latest[2]))
end
if previous and previous ~= index then redis.call('ZREM', previous, key) end
redis.call('HSET', key, '${META_FIELD}', ARGV[3])
local last = 4 + 2 * tonumber(ARGV[4])
for i = 5, last, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV do redis.call('HDEL', key, ARGV[i]) end
if index then
  if previous ~= index then redis.call('HSET', key, '${USER_FIELD}', index) end
elseif previous then
  redis.call('HDEL', key, '${USER_FIELD}')
end
redis.call('PEXPIREAT', key, ARGV[2])
return 1`;

/**
 * Delete. `KEYS[1]`: the session hash. Removes it from the index named in its `_user` field,
 * then deletes it; a broken index never stops the delete. Returns `DEL`'s count.
 */
export const DELETE_SCRIPT: string = `local key = KEYS[1]
if redis.call('TYPE', key).ok == 'hash' then
  local index = redis.call('HGET', key, '${USER_FIELD}')
  if index then redis.pcall('ZREM', index, key) end
end
return redis.call('DEL', key)`;

/**
 * List a user's sessions. `KEYS[1]`: the user's index. First drops the members whose score
 * (`expiresAt`) is past by Redis's clock, the clock that expires the hashes; then reads `_meta`
 * of each remaining member, dropping those whose hash is gone or is listed in another index.
 * Returns a flat array `key, meta, …`, every string prefixed by {@link REPLY_MARK}.
 */
export const LIST_SCRIPT: string = `local index = KEYS[1]
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%.0f', ms))
local members = redis.call('ZRANGE', index, 0, -1)
local reply = {}
for i = 1, #members do
  local key = members[i]
  local found = redis.pcall('HMGET', key, '${META_FIELD}', '${USER_FIELD}')
  if found.err == nil and found[1] and found[2] == index then
    reply[#reply + 1] = '${REPLY_MARK}' .. key
    reply[#reply + 1] = '${REPLY_MARK}' .. found[1]
  else
    redis.call('ZREM', index, key)
  end
end
return reply`;
