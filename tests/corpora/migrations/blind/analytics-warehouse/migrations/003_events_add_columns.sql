BEGIN;

SET LOCAL lock_timeout = '5s';

ALTER TABLE analytics.events ADD COLUMN source text NOT NULL; -- expect: ZDM
ALTER TABLE analytics.events ADD COLUMN received_at timestamptz NOT NULL DEFAULT now(); -- ok: ZDM
ALTER TABLE analytics.events ADD COLUMN event_uuid uuid NOT NULL DEFAULT gen_random_uuid(); -- ok: ZDM
ALTER TABLE analytics.events ADD COLUMN schema_version smallint NOT NULL DEFAULT 1; -- ok: ZDM

ALTER TABLE analytics.sessions -- expect: ZDM, ZDM
    ADD COLUMN country char(2) NOT NULL,
    ADD COLUMN device_class text NOT NULL;

COMMIT;
