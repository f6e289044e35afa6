-- NOT VALID: only new rows are checked, no full scan of messages while holding
-- the lock. Validated in 000009.
ALTER TABLE messages -- ok: ZDM
    ADD CONSTRAINT messages_author_id_fkey
    FOREIGN KEY (author_id) REFERENCES users (id)
    NOT VALID;

ALTER TABLE room_members ADD CONSTRAINT room_members_role_check CHECK (role IN ('member', 'moderator', 'owner')); -- expect: ZDM
