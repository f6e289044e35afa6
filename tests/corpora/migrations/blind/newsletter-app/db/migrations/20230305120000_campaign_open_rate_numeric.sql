-- migrate:up
-- real gave us 0.30000001 in the dashboard; store exact fractions.
ALTER TABLE campaigns ALTER COLUMN open_rate TYPE numeric(5,4) USING open_rate::numeric(5,4); -- expect: ZDM
ALTER TABLE campaigns ADD CONSTRAINT campaigns_open_rate_range CHECK (open_rate BETWEEN 0 AND 1); -- expect: ZDM

-- ok: MIGRATION
-- migrate:down
