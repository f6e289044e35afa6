-- migrate:up
CREATE TABLE segments (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name   text  NOT NULL,
    rules  jsonb NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX segments_name_key ON segments (name); -- ok: ZDM
ALTER TABLE segments ADD CONSTRAINT segments_name_not_blank CHECK (name <> ''); -- ok: ZDM

-- Seed from the marketing spreadsheet via a scratch table.
CREATE TABLE tmp_segment_import (name text, rules jsonb);
INSERT INTO tmp_segment_import (name, rules) VALUES
    ('everyone', '{}'),
    ('fr-speakers', '{"locale": "fr"}'),
    ('recently-confirmed', '{"confirmed_within_days": 30}');
INSERT INTO segments (name, rules) SELECT name, rules FROM tmp_segment_import;
DROP TABLE tmp_segment_import; -- ok: MIGRATION

ALTER TABLE campaigns ADD COLUMN segment_id bigint; -- ok: ZDM
ALTER TABLE campaigns -- ok: ZDM
    ADD CONSTRAINT campaigns_segment_id_fkey
    FOREIGN KEY (segment_id) REFERENCES segments (id) NOT VALID;
CREATE INDEX campaigns_segment_id_idx ON campaigns (segment_id); -- expect: ZDM

-- migrate:down
DROP INDEX IF EXISTS campaigns_segment_id_idx;
ALTER TABLE campaigns DROP COLUMN segment_id; -- ok: MIGRATION
DROP TABLE segments; -- ok: MIGRATION
