ALTER TABLE messages ADD COLUMN edited_at timestamptz; -- ok: ZDM
ALTER TABLE messages ADD COLUMN is_deleted boolean NOT NULL DEFAULT false; -- ok: ZDM

ALTER TABLE messages ADD COLUMN reactions jsonb NOT NULL; -- expect: ZDM

CREATE INDEX messages_reactions_gin ON messages USING gin (reactions jsonb_path_ops); -- expect: ZDM
