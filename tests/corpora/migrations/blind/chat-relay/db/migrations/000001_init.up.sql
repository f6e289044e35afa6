CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         citext      NOT NULL UNIQUE,
    handle        text,
    display_name  text        NOT NULL DEFAULT '',
    last_seen_ip  inet,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_created_at_idx ON users (created_at); -- ok: ZDM

CREATE TABLE rooms (
    id             bigserial PRIMARY KEY,
    slug           text        NOT NULL,
    name           text        NOT NULL,
    owner_id       bigint      NOT NULL REFERENCES users (id),
    is_private     boolean     NOT NULL DEFAULT false,
    message_count  integer     NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX rooms_slug_key ON rooms (slug); -- ok: ZDM

-- Last-seen per user and room, written by the websocket gateway on every ping.
CREATE TABLE user_presence (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id    bigint      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, room_id)
);

CREATE TABLE messages ( -- ok: ZDM
    id          bigserial PRIMARY KEY,
    room_id     bigint      NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    author_id   bigint      NOT NULL,
    body        text        NOT NULL,
    kind        text        NOT NULL DEFAULT 'text',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_room_id_idx ON messages (room_id); -- ok: ZDM

ALTER TABLE messages -- ok: ZDM
    ADD CONSTRAINT messages_kind_check CHECK (kind IN ('text', 'image', 'system'));
