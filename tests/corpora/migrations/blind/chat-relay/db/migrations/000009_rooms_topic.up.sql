-- Finish what 000008 started: no writes are blocked while this scans messages.
ALTER TABLE messages VALIDATE CONSTRAINT messages_author_id_fkey; -- ok: ZDM

BEGIN;

ALTER TABLE rooms ADD COLUMN topic text; -- ok: ZDM

CREATE INDEX CONCURRENTLY rooms_owner_id_idx ON rooms (owner_id); -- expect: ZDM

ALTER TABLE rooms ADD CONSTRAINT rooms_topic_length CHECK (char_length(topic) <= 250); -- expect: ZDM

COMMIT;
