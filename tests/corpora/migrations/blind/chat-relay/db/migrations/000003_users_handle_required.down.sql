-- display_name stays varchar(80): widening back to text buys nothing.
DROP INDEX IF EXISTS users_handle_lower_key; -- ok: MIGRATION
ALTER TABLE users ALTER COLUMN handle DROP NOT NULL; -- ok: ZDM
