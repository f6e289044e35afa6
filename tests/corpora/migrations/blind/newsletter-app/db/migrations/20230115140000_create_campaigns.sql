-- migrate:up
CREATE TABLE campaigns (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     text    NOT NULL,
    body_html   text    NOT NULL,
    open_rate   real,
    archived    boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sends ( -- ok: ZDM
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id    bigint NOT NULL REFERENCES campaigns (id),
    subscriber_id  bigint NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    sent_at        timestamptz,
    opened_at      timestamptz
);

CREATE INDEX sends_subscriber_id_idx ON sends (subscriber_id); -- ok: ZDM
CREATE INDEX sends_campaign_id_idx ON sends (campaign_id); -- ok: ZDM

-- migrate:down
DROP TABLE sends; -- ok: MIGRATION
DROP TABLE campaigns; -- ok: MIGRATION
