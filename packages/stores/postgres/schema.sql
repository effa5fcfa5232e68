-- @fetch-session/postgres: the sessions table (default name "sessions").
-- Run it once (psql -f schema.sql) or call store.migrate(): both are idempotent.
-- For another table name, schemaSql('app.sessions') returns this script for it.
--
-- key         the core's store key (prefix + SHA-256 of the session ID), never the ID itself
-- meta        createdAt, lastSeenAt, permanent, userId, device (JSON from the core)
-- fields      one member per top-level session key: "d:<key>" data, "f:<key>" flash
-- user_id     meta.userId, indexed for listSessions / revokeAllSessions
-- expires_at  from the core's expiresAt; NULL never expires; loads ignore expired rows

CREATE TABLE IF NOT EXISTS "sessions" (
  key text PRIMARY KEY,
  meta jsonb NOT NULL,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  user_id text,
  expires_at timestamptz
);

CREATE INDEX IF NOT EXISTS "sessions_user_id_idx" ON "sessions" (user_id) WHERE user_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS "sessions_expires_at_idx" ON "sessions" (expires_at) WHERE expires_at IS NOT NULL;
