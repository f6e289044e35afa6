-- migrate:up
CREATE TABLE subscribers (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending',
    bounce_count    integer     NOT NULL DEFAULT 0,
    legacy_list_id  integer,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX subscribers_email_key ON subscribers (lower(email)); -- ok: ZDM

-- Lists imported from the old PHP mailer; kept read-only until the
-- segment feature replaces them.
CREATE TABLE mailing_lists_legacy (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    owner      text,
    imported   timestamptz DEFAULT now()
);

-- migrate:down
DROP TABLE mailing_lists_legacy; -- ok: MIGRATION
DROP TABLE subscribers; -- ok: MIGRATION
