-- Handles become mandatory for @mentions. Accounts created before the signup
-- form asked for one get a generated handle.
UPDATE users SET handle = 'user' || id WHERE handle IS NULL; -- ok: MIGRATION

ALTER TABLE users ALTER COLUMN handle SET NOT NULL; -- expect: ZDM

CREATE UNIQUE INDEX users_handle_lower_key ON users (lower(handle)); -- expect: ZDM

-- Clients truncate at 80 anyway; make the database agree.
ALTER TABLE users ALTER COLUMN display_name TYPE varchar(80); -- expect: ZDM
