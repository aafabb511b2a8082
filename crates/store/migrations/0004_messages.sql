-- Messages on matters (correspondence), and their full-text index.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE message (
    id          TEXT PRIMARY KEY,            -- UUID v7, stable across devices
    matter_id   TEXT NOT NULL REFERENCES matter (id) ON DELETE CASCADE,
    author      TEXT NOT NULL,
    sent_at     TEXT NOT NULL,               -- RFC 3339 UTC
    body        TEXT NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);
-- A matter's correspondence, newest first; also serves the foreign key.
CREATE INDEX message_matter_sent ON message (matter_id, sent_at DESC);

-- External content: the text is stored once (in message), the index holds tokens.
CREATE VIRTUAL TABLE message_fts USING fts5 (
    body,
    content = 'message', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
    INSERT INTO message_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER message_fts_update AFTER UPDATE OF body ON message BEGIN
    INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO message_fts (rowid, body) VALUES (new.rowid, new.body);
END;
