DROP INDEX CONCURRENTLY IF EXISTS messages_room_created_idx; -- ok: MIGRATION
