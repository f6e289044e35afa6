-- Dashboard queries filter by kind and time range.
BEGIN;

CREATE INDEX CONCURRENTLY events_kind_occurred_idx ON analytics.events (kind, occurred_at); -- expect: ZDM

COMMIT;
