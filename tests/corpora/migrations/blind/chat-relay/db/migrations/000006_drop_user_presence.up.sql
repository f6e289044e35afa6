-- Presence moved to Redis (internal/presence). The table has been write-only
-- since v0.14 and the gateway stopped writing to it in v0.17.
DROP TABLE user_presence; -- expect: MIGRATION

ALTER TABLE users DROP CONSTRAINT IF EXISTS users_last_seen_ip_check; -- ok: MIGRATION
ALTER TABLE users DROP COLUMN last_seen_ip; -- expect: MIGRATION
