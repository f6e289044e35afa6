-- migrate:up
ALTER TABLE sends RENAME TO deliveries; -- expect: ZDM
ALTER TABLE deliveries RENAME COLUMN sent_at TO delivered_at; -- expect: ZDM
ALTER INDEX sends_subscriber_id_idx RENAME TO deliveries_subscriber_id_idx; -- ok: ZDM

-- migrate:down
-- Forward-only: the worker fleet already runs against the new names.
