-- The exchange with providers: this install's device identity, the relays it uses,
-- its channels (one per assignment and provider), their members, the outbox of
-- changes waiting to go, what has been received (the revision held of each item),
-- what was refused and why, and on a provider's install the engagements received.
-- Released migrations are never edited: add a new numbered file instead.

-- The secret keys live here, inside the encrypted database, and nowhere else.
CREATE TABLE device_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    secret      TEXT NOT NULL,
    name        TEXT NOT NULL CHECK (length(name) >= 1),
    created_at  TEXT NOT NULL
);

CREATE TABLE relay (
    url            TEXT PRIMARY KEY CHECK (url LIKE 'https://%'),
    -- The account the relay's operator made for this firm; a provider's install,
    -- which only joins channels, has none.
    account_token  TEXT,
    -- SHA-256 of the relay's certificate (hex), or a CA in PEM, when the relay's
    -- certificate is not one the system trusts.
    cert_sha256    TEXT CHECK (cert_sha256 IS NULL OR length(cert_sha256) = 64),
    ca_pem         TEXT,
    added_at       TEXT NOT NULL,
    last_ok_at     TEXT
);

CREATE TABLE channel (
    id             TEXT PRIMARY KEY,          -- the relay's channel id
    relay_url      TEXT NOT NULL,
    cert_sha256    TEXT,
    ca_pem         TEXT,
    -- The side this install acts for on this channel.
    side           TEXT NOT NULL CHECK (side IN ('firm', 'provider')),
    -- The firm's assignment (on both sides: the provider learns its id from the brief).
    assignment_id  TEXT NOT NULL,
    access_token   TEXT NOT NULL,
    member_id      TEXT NOT NULL,
    firm_name      TEXT NOT NULL,
    -- The firm's fingerprints as the invite named them (provider side).
    firm_fingerprints TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(firm_fingerprints)),
    -- The relay's sequence number of the last envelope applied or refused.
    cursor         INTEGER NOT NULL DEFAULT 0,
    last_sync_at   TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX channel_assignment ON channel (assignment_id);

CREATE TABLE channel_member (
    channel_id   TEXT NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    member_id    TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    side         TEXT NOT NULL CHECK (side IN ('firm', 'provider')),
    name         TEXT NOT NULL,
    card         TEXT NOT NULL,
    key_id       TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    verified_at  TEXT,
    verified_by  TEXT,
    PRIMARY KEY (channel_id, member_id)
);

-- A change waiting to go (queued), gone (sent), or refused by the relay for good
-- (failed, with the reason: the "needs attention" list). Written in the same
-- transaction as the change it carries.
CREATE TABLE outbox (
    envelope_id   TEXT PRIMARY KEY,
    channel_id    TEXT NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    item_id       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    -- What to seal: the content (for a file, its JSON description and a line break),
    -- followed by the blob it names, if any.
    content       BLOB NOT NULL,
    blob_sha256   TEXT REFERENCES blob (sha256),
    label         TEXT NOT NULL,
    size          INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    sent_at       TEXT
);
CREATE INDEX outbox_queue ON outbox (state, created_at);
CREATE INDEX outbox_item ON outbox (channel_id, item_id);

-- The newest revision held of each item received or sent on a channel.
CREATE TABLE exchange_item (
    channel_id   TEXT NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    envelope_id  TEXT NOT NULL,
    from_side    TEXT NOT NULL CHECK (from_side IN ('firm', 'provider')),
    at           TEXT NOT NULL,
    PRIMARY KEY (channel_id, item_id)
);

CREATE TABLE exchange_rejection (
    channel_id   TEXT NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    envelope_id  TEXT NOT NULL,
    code         TEXT NOT NULL,
    reason       TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (channel_id, seq)
);

-- On a provider's install: the work received from a firm, kept apart per channel.
CREATE TABLE engagement (
    channel_id     TEXT PRIMARY KEY REFERENCES channel (id) ON DELETE CASCADE,
    firm_name      TEXT NOT NULL,
    assignment_id  TEXT NOT NULL,
    scope          TEXT,
    instructions   TEXT,
    due_on         TEXT,
    status         TEXT NOT NULL DEFAULT 'sent',
    updated_at     TEXT NOT NULL
);

-- What an engagement holds: documents and deadlines from the firm, deliverables the
-- provider made, and messages both ways.
CREATE TABLE engagement_item (
    channel_id   TEXT NOT NULL REFERENCES engagement (channel_id) ON DELETE CASCADE,
    item_id      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('document', 'deadline', 'deliverable', 'message')),
    revision     INTEGER NOT NULL,
    from_side    TEXT NOT NULL CHECK (from_side IN ('firm', 'provider')),
    title        TEXT NOT NULL,
    body         TEXT,
    blob_sha256  TEXT REFERENCES blob (sha256),
    size         INTEGER NOT NULL DEFAULT 0,
    at           TEXT NOT NULL,
    PRIMARY KEY (channel_id, item_id)
);

-- The decrypted content of a large item being received, in pieces, until it is
-- applied (inside the encrypted database: never plaintext on disk). Cleared when the
-- item is applied or refused, and before a new attempt.
CREATE TABLE incoming_chunk (
    envelope_id  TEXT NOT NULL,
    n            INTEGER NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (envelope_id, n)
);
