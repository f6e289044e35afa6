-- migrate:up
-- Subscribers that only existed on a legacy list were re-confirmed in March.
UPDATE subscribers SET status = 'active' WHERE status = 'legacy' AND confirmed_at IS NOT NULL; -- ok: MIGRATION

DROP TABLE mailing_lists_legacy; -- expect: MIGRATION
ALTER TABLE subscribers DROP COLUMN legacy_list_id; -- expect: MIGRATION

-- migrate:down
ALTER TABLE subscribers ADD COLUMN legacy_list_id integer;

CREATE TABLE mailing_lists_legacy (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    owner      text,
    imported   timestamptz DEFAULT now()
);
