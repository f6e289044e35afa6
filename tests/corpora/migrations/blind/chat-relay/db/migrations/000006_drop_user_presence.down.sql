ALTER TABLE users ADD COLUMN last_seen_ip inet;

CREATE TABLE user_presence (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id    bigint      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, room_id)
);
