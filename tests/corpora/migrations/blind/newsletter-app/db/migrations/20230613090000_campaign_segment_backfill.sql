-- migrate:up transaction:false
UPDATE campaigns -- ok: MIGRATION
SET segment_id = (SELECT id FROM segments WHERE name = 'everyone')
WHERE segment_id IS NULL;

ALTER TABLE campaigns VALIDATE CONSTRAINT campaigns_segment_id_fkey; -- ok: ZDM

-- migrate:down
