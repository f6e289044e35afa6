-- Retention policy DATA-19: raw events are kept for 400 days.
DELETE FROM analytics.events WHERE occurred_at < now() - interval '400 days'; -- ok: MIGRATION

TRUNCATE analytics.events_staging; -- expect: MIGRATION

-- The 2021 archive table (made by hand in 2022) is exported to
-- s3://acme-analytics-archive/events_2021/.
DROP TABLE IF EXISTS analytics.events_2021; -- expect: MIGRATION

-- Parsed into device_class by the sink since March; the raw string was PII-ish.
ALTER TABLE analytics.sessions DROP user_agent_raw; -- expect: MIGRATION

-- user ids from the new identity service are 64-bit.
ALTER TABLE analytics.sessions ALTER user_id TYPE bigint; -- expect: ZDM
ALTER TABLE analytics.events ALTER COLUMN user_id TYPE bigint; -- expect: ZDM
