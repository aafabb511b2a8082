-- The relay's first schema. Never edit a released migration: add the next number.
-- Tokens are stored only as SHA-256 hashes (BLOB, 32 bytes).

CREATE TABLE account (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    token_hash  BLOB    NOT NULL UNIQUE,
    quota_bytes INTEGER NOT NULL CHECK (quota_bytes >= 0),
    -- Sum of the sizes of the envelopes in the account's channels, kept in the same
    -- transaction as each insert and delete.
    used_bytes  INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE channel (
    id          TEXT    PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES account(id),
    created_at  INTEGER NOT NULL,
    closed_at   INTEGER,
    -- The seq the next envelope gets; assigned at commit, so seqs rise in commit order.
    next_seq    INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE member (
    id          TEXT    PRIMARY KEY,
    channel_id  TEXT    NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
    role        TEXT    NOT NULL CHECK (role IN ('owner', 'member')),
    card        BLOB    NOT NULL,
    token_hash  BLOB    NOT NULL UNIQUE,
    joined_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX member_channel ON member(channel_id);

CREATE TABLE invite (
    token_hash  BLOB    PRIMARY KEY,
    channel_id  TEXT    NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    used_by     TEXT
) STRICT;
CREATE INDEX invite_channel ON invite(channel_id);

CREATE TABLE envelope (
    channel_id  TEXT    NOT NULL REFERENCES channel(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    id          TEXT    NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    sha256      BLOB    NOT NULL,
    sender      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, seq),
    UNIQUE (channel_id, id)
) STRICT;

-- Channels deleted by their owner: only the id and when, so that old tokens used on
-- them get "deleted" (404) instead of a puzzling "bad token" (401).
CREATE TABLE deleted_channel (
    id          TEXT    PRIMARY KEY,
    deleted_at  INTEGER NOT NULL
) STRICT;
