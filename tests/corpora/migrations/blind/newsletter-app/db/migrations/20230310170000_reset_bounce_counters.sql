-- migrate:up
-- We moved from Postmark to SES; bounce counts from the old provider are
-- meaningless under the new suppression rules.
UPDATE subscribers SET bounce_count = 0; -- expect: MIGRATION

DELETE FROM sends -- ok: MIGRATION
WHERE subscriber_id IN (SELECT id FROM subscribers WHERE status = 'bounced' AND created_at < '2022-01-01');
DELETE FROM subscribers WHERE status = 'bounced' AND created_at < '2022-01-01'; -- ok: MIGRATION

-- migrate:down
-- Irreversible: the old counters are gone.
