-- golang-migrate sends a file as one multi-statement Exec, which Postgres runs
-- as a single implicit transaction: CONCURRENTLY must be alone in its file.
CREATE INDEX CONCURRENTLY IF NOT EXISTS messages_room_created_idx ON messages (room_id, created_at DESC); -- ok: ZDM
