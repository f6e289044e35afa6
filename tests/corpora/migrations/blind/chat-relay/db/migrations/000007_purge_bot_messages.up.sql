-- One-off cleanup after the bot flood of 2024-02-03 (INC-0419).
-- Intentionally irreversible, so there is no down migration.
SET lock_timeout = '3s'; -- expect: MIGRATION

DELETE FROM messages -- ok: MIGRATION
WHERE kind = 'system'
  AND created_at BETWEEN '2024-02-03 10:00+00' AND '2024-02-03 14:00+00';

-- message_count drifted during the incident: reset and recount.
UPDATE rooms SET message_count = 0; -- expect: MIGRATION

UPDATE rooms AS r -- ok: MIGRATION
SET message_count = c.n
FROM (SELECT room_id, count(*) AS n FROM messages GROUP BY room_id) AS c
WHERE c.room_id = r.id;
