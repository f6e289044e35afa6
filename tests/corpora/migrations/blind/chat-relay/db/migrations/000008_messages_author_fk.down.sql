ALTER TABLE room_members DROP CONSTRAINT IF EXISTS room_members_role_check; -- ok: MIGRATION
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_author_id_fkey; -- ok: MIGRATION
