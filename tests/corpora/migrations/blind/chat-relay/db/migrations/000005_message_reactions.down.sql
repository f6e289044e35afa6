DROP INDEX IF EXISTS messages_reactions_gin; -- ok: MIGRATION
ALTER TABLE messages DROP COLUMN IF EXISTS reactions; -- ok: MIGRATION
ALTER TABLE messages DROP COLUMN IF EXISTS is_deleted; -- ok: MIGRATION
ALTER TABLE messages DROP COLUMN IF EXISTS edited_at; -- ok: MIGRATION
