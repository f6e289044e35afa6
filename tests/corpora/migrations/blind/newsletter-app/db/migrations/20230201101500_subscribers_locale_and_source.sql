-- migrate:up
ALTER TABLE subscribers ADD COLUMN locale text NOT NULL DEFAULT 'en'; -- ok: ZDM
ALTER TABLE subscribers ADD COLUMN confirmed_at timestamptz; -- ok: ZDM
ALTER TABLE subscribers ADD COLUMN source text NOT NULL; -- expect: ZDM

CREATE INDEX subscribers_status_idx ON subscribers (status); -- expect: ZDM

-- migrate:down
DROP INDEX subscribers_status_idx;
ALTER TABLE subscribers DROP COLUMN source; -- ok: MIGRATION
ALTER TABLE subscribers DROP COLUMN confirmed_at; -- ok: MIGRATION
ALTER TABLE subscribers DROP COLUMN locale; -- ok: MIGRATION
