-- Documents and their versions, the file bytes they point to, reviews of returned
-- work, and the disclosure ledger.
-- Released migrations are never edited: add a new numbered file instead.

-- File bytes, once per content (SHA-256 of the bytes, lower-case hex). They live in
-- this encrypted database rather than in files beside it, so they are never on disk
-- in plaintext, one transaction covers a version and its bytes (a kill -9 leaves
-- neither or both), and backup, rekey and restore carry them without a second key.
CREATE TABLE blob (
    sha256  TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size    INTEGER NOT NULL CHECK (size >= 0),
    data    BLOB NOT NULL CHECK (length(data) = size)
);

CREATE TABLE document (
    id             TEXT PRIMARY KEY,           -- UUID v7
    matter_id      TEXT NOT NULL REFERENCES matter (id),
    title          TEXT NOT NULL CHECK (length(title) >= 1),
    owner          TEXT NOT NULL DEFAULT 'firm' CHECK (owner IN ('firm', 'provider')),
    assignment_id  TEXT REFERENCES assignment (id),
    revision       INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX document_matter ON document (matter_id, updated_at DESC);
CREATE INDEX document_assignment ON document (assignment_id) WHERE assignment_id IS NOT NULL;

CREATE TABLE document_version (
    id           TEXT PRIMARY KEY,             -- UUID v7
    document_id  TEXT NOT NULL REFERENCES document (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    file_name    TEXT NOT NULL CHECK (length(file_name) >= 1),
    media_type   TEXT NOT NULL,
    size         INTEGER NOT NULL CHECK (size > 0),
    sha256       TEXT NOT NULL REFERENCES blob (sha256),
    -- Extracted text for search; NULL when none could be read (text_status says why).
    text         TEXT,
    text_status  TEXT NOT NULL CHECK (text_status IN ('text', 'empty', 'unsupported', 'failed')),
    text_note    TEXT,
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    note         TEXT,
    UNIQUE (document_id, version)
);
CREATE INDEX document_version_sha ON document_version (sha256);

-- Versions are history: once added, never changed or removed.
CREATE TRIGGER document_version_no_update BEFORE UPDATE ON document_version BEGIN
    SELECT RAISE(ABORT, 'document versions cannot be changed; add a new version');
END;
CREATE TRIGGER document_version_no_delete BEFORE DELETE ON document_version BEGIN
    SELECT RAISE(ABORT, 'document versions cannot be removed');
END;

-- File name and text of every version, for search (external content: the text is
-- stored once, in document_version).
CREATE VIRTUAL TABLE document_fts USING fts5 (
    file_name, text,
    content = 'document_version', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER document_fts_insert AFTER INSERT ON document_version BEGIN
    INSERT INTO document_fts (rowid, file_name, text) VALUES (new.rowid, new.file_name, new.text);
END;

CREATE TABLE review (
    id           TEXT PRIMARY KEY,
    version_id   TEXT NOT NULL REFERENCES document_version (id),
    reviewer     TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('approved', 'changes_requested')),
    notes        TEXT,
    reviewed_at  TEXT NOT NULL
);
CREATE INDEX review_version ON review (version_id, reviewed_at);

-- The disclosure ledger: what was decided about sending which items of a matter to
-- which provider, under which consent. Append-only, like the audit log.
CREATE TABLE disclosure (
    id               TEXT PRIMARY KEY,
    matter_id        TEXT NOT NULL REFERENCES matter (id),
    provider_id      TEXT NOT NULL REFERENCES provider (id),
    assignment_id    TEXT REFERENCES assignment (id),
    consent_id       TEXT REFERENCES consent (id),
    items            TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array' AND json_array_length(items) >= 1),
    decision         TEXT NOT NULL CHECK (decision IN ('allow', 'allow_with_conditions', 'block', 'override')),
    reasons          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    decided_by       TEXT NOT NULL,
    override_reason  TEXT,
    decided_at       TEXT NOT NULL,
    CHECK (decision <> 'override' OR length(override_reason) >= 1)
);
CREATE INDEX disclosure_matter ON disclosure (matter_id, decided_at);
CREATE INDEX disclosure_provider ON disclosure (provider_id, decided_at);
CREATE TRIGGER disclosure_no_update BEFORE UPDATE ON disclosure BEGIN
    SELECT RAISE(ABORT, 'the disclosure ledger is append-only');
END;
CREATE TRIGGER disclosure_no_delete BEFORE DELETE ON disclosure BEGIN
    SELECT RAISE(ABORT, 'the disclosure ledger is append-only');
END;
