BEGIN;

-- Real-time counters shown on the wallboard, reset every night by pg_cron.
CREATE TABLE analytics.live_counters (
    kind  analytics.event_kind PRIMARY KEY,
    hits  bigint NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION analytics.reset_live_counters() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE analytics.live_counters SET hits = 0; -- ok: MIGRATION
END;
$$;

COMMENT ON FUNCTION analytics.reset_live_counters() IS 'Use this instead of TRUNCATE or DELETE on live_counters.'; -- ok: MIGRATION

DROP MATERIALIZED VIEW IF EXISTS analytics.daily_kind_counts_v1; -- ok: MIGRATION

CREATE MATERIALIZED VIEW analytics.daily_kind_counts AS
SELECT date_trunc('day', occurred_at)::date AS day,
       kind,
       count(*) AS n
FROM analytics.events
GROUP BY 1, 2
WITH NO DATA;

COMMIT;
