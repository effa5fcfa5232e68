-- @fetch-session/sqlite: the sessions table for SQLite and D1 (default name "sessions").
-- Run it once (sqlite3 sessions.db < schema.sql, wrangler d1 execute DB --file schema.sql,
-- or as a wrangler d1 migration), or call store.migrate(): both are idempotent.
-- For another table name, schemaSql('my_sessions') returns this script for it.
--
-- key         the core's store key (prefix + SHA-256 of the session ID), never the ID itself
-- meta        createdAt, lastSeenAt, permanent, userId, device (JSON from the core)
-- fields      JSON object, one member per top-level session key: "d:<key>" data, "f:<key>" flash
-- user_id     meta.userId, indexed for listSessions / revokeAllSessions
-- expires_at  epoch ms from the core's expiresAt; NULL never expires; loads ignore expired rows

CREATE TABLE IF NOT EXISTS "sessions" (
  key TEXT PRIMARY KEY NOT NULL,
  meta TEXT NOT NULL,
  fields TEXT NOT NULL DEFAULT '{}',
  user_id TEXT,
  expires_at INTEGER
);

CREATE INDEX IF NOT EXISTS "sessions_user_id_idx" ON "sessions" (user_id) WHERE user_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS "sessions_expires_at_idx" ON "sessions" (expires_at) WHERE expires_at IS NOT NULL;
