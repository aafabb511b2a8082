-- Matters, their full-text index, and the audit chain.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE matter (
    id            TEXT PRIMARY KEY,          -- UUID v7, stable across devices
    number        TEXT NOT NULL,
    title         TEXT NOT NULL,
    client_name   TEXT NOT NULL,
    practice_area TEXT,
    court         TEXT,
    jurisdiction  TEXT,
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_on     TEXT NOT NULL,             -- YYYY-MM-DD
    revision      INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- Matter numbers are compared as a person reads them: "2026-001" and "2026-001 " or
-- a different case are the same number.
CREATE UNIQUE INDEX matter_number_unique ON matter (number COLLATE NOCASE);
CREATE INDEX matter_status_opened ON matter (status, opened_on DESC);
CREATE INDEX matter_opened ON matter (opened_on DESC);
CREATE INDEX matter_title ON matter (title COLLATE NOCASE);
CREATE INDEX matter_client ON matter (client_name COLLATE NOCASE);

CREATE VIRTUAL TABLE matter_fts USING fts5 (
    number, title, client_name,
    content = 'matter', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER matter_fts_insert AFTER INSERT ON matter BEGIN
    INSERT INTO matter_fts (rowid, number, title, client_name)
    VALUES (new.rowid, new.number, new.title, new.client_name);
END;
CREATE TRIGGER matter_fts_delete AFTER DELETE ON matter BEGIN
    INSERT INTO matter_fts (matter_fts, rowid, number, title, client_name)
    VALUES ('delete', old.rowid, old.number, old.title, old.client_name);
END;
CREATE TRIGGER matter_fts_update AFTER UPDATE ON matter BEGIN
    INSERT INTO matter_fts (matter_fts, rowid, number, title, client_name)
    VALUES ('delete', old.rowid, old.number, old.title, old.client_name);
    INSERT INTO matter_fts (rowid, number, title, client_name)
    VALUES (new.rowid, new.number, new.title, new.client_name);
END;

-- Append-only and hash-chained: each record holds the hash of the one before, so
-- an edit or a deletion anywhere breaks every later link.
CREATE TABLE audit (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,               -- e.g. matter.create
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,               -- JSON
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
