-- 004 errored on staging ("CREATE INDEX CONCURRENTLY cannot run inside a
-- transaction block"). Same index, without BEGIN/COMMIT this time; the DROP
-- clears any INVALID leftover from a half-built attempt.
DROP INDEX CONCURRENTLY IF EXISTS analytics.events_kind_occurred_idx; -- ok: MIGRATION

CREATE INDEX CONCURRENTLY events_kind_occurred_idx ON analytics.events (kind, occurred_at); -- ok: ZDM

CREATE INDEX CONCURRENTLY IF NOT EXISTS events_session_id_idx ON analytics.events (session_id); -- ok: ZDM
