ALTER TABLE analytics.events -- expect: ZDM
    ADD CONSTRAINT events_session_id_fkey
    FOREIGN KEY (session_id) REFERENCES analytics.sessions (id);

ALTER TABLE analytics.events -- ok: ZDM
    ADD CONSTRAINT events_payload_is_object
    CHECK (jsonb_typeof(payload) = 'object') NOT VALID;

ALTER TABLE analytics.events VALIDATE CONSTRAINT events_payload_is_object; -- ok: ZDM

ALTER TABLE analytics.live_counters ADD CONSTRAINT live_counters_hits_non_negative CHECK (hits >= 0); -- expect: ZDM

ALTER TYPE analytics.event_kind ADD VALUE IF NOT EXISTS 'refund'; -- ok: ZDM

-- events gets ~40M rows a day: vacuum it more eagerly and give the planner
-- better stats on the skewed kind column.
ALTER TABLE analytics.events SET (autovacuum_vacuum_scale_factor = 0.01); -- ok: ZDM
ALTER TABLE analytics.events ALTER COLUMN kind SET STATISTICS 1000; -- ok: ZDM

-- Matches what 006 actually stores now.
ALTER TABLE analytics.sessions RENAME ended_at TO last_event_at; -- expect: ZDM
