/**
 * The Lua scripts of the Cluster layout. On Redis Cluster a script may only touch the keys it
 * declares, all in one hash slot; a session and its user's index live in different slots. So
 * every script here touches exactly one key, and the store orders its calls so that a failure
 * between two of them leaves at worst a stale index entry, never a live session missing from
 * its user's index (which would survive "log out everywhere"):
 *
 * - binding: the index entry is added ({@link INDEX_ADD_SCRIPT}) BEFORE the session names that
 *   index; the session write refuses to name an index it was not told was written;
 * - a delete: the index entry is removed AFTER the session is gone (best effort: a leftover is
 *   dropped by the next list, which checks each member's hash);
 * - unbinding or a change of user: the old entry is left for the next list to drop (removing
 *   it could race a write binding the session back);
 * - expiry: the index entry's score is the instant it covers the session until (`_ixp`), and
 *   the write script never extends the session's expiry past it: it answers {@link NEEDS_INDEX}
 *   and the store raises the score first. So trimming the index by score never drops a live
 *   session.
 *
 * The record layout is the single-slot one (see `scripts.ts`) plus the `_ixp` field.
 * @module
 */
import { COVERED_FIELD, META_FIELD, REPLY_MARK, USER_FIELD } from './scripts.js';

/** The write script's answer when the index entry must be written (or raised) first. */
export const NEEDS_INDEX = 2;

/**
 * Write, create and touch. `KEYS[1]`: the session hash. `ARGV[1]`: the user's index key, or
 * `''` for a session without a user. `ARGV[2]`: the score just written to that index for this
 * session (its new coverage), or `''` when the store wrote none. The index must name the user
of the metadata. Then the single-slot write
 * script's `ARGV` (mode, expiresAt, meta, n, field/value pairs, deleted fields).
 *
 * Returns 0 on a conflict, {@link NEEDS_INDEX} (nothing changed) when the session would name an
 * index, or outlive its entry there, without the store having written that entry; 1 when
 * applied. A session that leaves an index (unbound, or bound to another user) stays listed
 * there until the next list drops it (its `_user` no longer names that index): removing it
 * here, after the write, could race a later write binding it back and unlist a live session.
 */
export const CLUSTER_WRITE_SCRIPT: string = `local key = KEYS[1]
local index = ARGV[1]
local exists = redis.call('EXISTS', key) == 1
if ARGV[3] == 'create' then
  if exists then return 0 end
elseif not exists then
  return 0
end
local previous = exists and redis.call('HGET', key, '${USER_FIELD}')
local covered = false
if index ~= '' then
  if ARGV[2] ~= '' then
    covered = ARGV[2]
  elseif previous == index then
    covered = redis.call('HGET', key, '${COVERED_FIELD}')
  end
  if not covered or tonumber(ARGV[4]) > tonumber(covered) then return ${NEEDS_INDEX} end
end
redis.call('HSET', key, '${META_FIELD}', ARGV[5])
local last = 6 + 2 * tonumber(ARGV[6])
for i = 7, last, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV do redis.call('HDEL', key, ARGV[i]) end
if index ~= '' then
  redis.call('HSET', key, '${USER_FIELD}', index, '${COVERED_FIELD}', covered)
elseif previous then
  redis.call('HDEL', key, '${USER_FIELD}', '${COVERED_FIELD}')
end
redis.call('PEXPIREAT', key, ARGV[4])
return 1`;

/**
 * Adds or raises one session's entry in a user's index. `KEYS[1]`: the index. `ARGV[1]`: the
 * session key; `ARGV[2]`: its coverage (epoch ms). A score never goes down (`GT`): two racing
 * writes leave the higher coverage, which is at least what either session write records. The
 * index expires with its highest score. Returns the entry's score.
 */
export const INDEX_ADD_SCRIPT: string = `local index = KEYS[1]
redis.call('ZADD', index, 'GT', ARGV[2], ARGV[1])
local latest = redis.call('ZRANGE', index, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', index, string.format('%.0f', latest[2]))
return 1`;

/**
 * Removes session keys from an index (stale entries, or a session that left). `KEYS[1]`: the
 * index; `ARGV`: the session keys. Returns `ZREM`'s count.
 */
export const INDEX_REMOVE_SCRIPT: string = `return redis.call('ZREM', KEYS[1], unpack(ARGV))`;

/**
 * The members of a user's index, after dropping those whose coverage is past by Redis's
 * clock. `KEYS[1]`: the index. Returns the session keys, each marked.
 */
export const INDEX_MEMBERS_SCRIPT: string = `local index = KEYS[1]
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. string.format('%.0f', ms))
local members = redis.call('ZRANGE', index, 0, -1)
for i = 1, #members do members[i] = '${REPLY_MARK}' .. members[i] end
return members`;

/**
 * One listed session's metadata and index. `KEYS[1]`: the session hash. Returns
 * `{meta, index}` marked, or an empty array when it is gone or not a session hash.
 */
export const MEMBER_META_SCRIPT: string = `local found = redis.pcall('HMGET', KEYS[1], '${META_FIELD}', '${USER_FIELD}')
if found.err ~= nil or not found[1] or not found[2] then return {} end
return {'${REPLY_MARK}' .. found[1], '${REPLY_MARK}' .. found[2]}`;

/**
 * Delete. `KEYS[1]`: the session hash. Returns `{count}`, or `{count, index}` (marked) when
 * the session named an index, for the store to remove its entry there afterwards.
 */
export const CLUSTER_DELETE_SCRIPT: string = `local key = KEYS[1]
local index = false
if redis.call('TYPE', key).ok == 'hash' then
  index = redis.call('HGET', key, '${USER_FIELD}')
end
local count = redis.call('DEL', key)
if index then return {count, '${REPLY_MARK}' .. index} end
return {count}`;
