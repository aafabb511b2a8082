-- Parties and their roles in matters, providers, client consents and assignments
-- (work orders). Released migrations are never edited: add a new numbered file.
--
-- Lists (aliases, countries, services, rates, ...) are JSON arrays in one column:
-- they are always read and written whole with their row, and the send guard
-- evaluates them in Rust. CHECKs keep them arrays; Rust validates their contents.

CREATE TABLE party (
    id          TEXT PRIMARY KEY,            -- UUID v7, stable across devices
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    aliases     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array'),
    revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- Not unique: two people may share a name. The conflict check matches names anyway.
CREATE INDEX party_name ON party (name COLLATE NOCASE);

-- Its own copy of the text (not external content): the aliases column holds JSON,
-- and the index wants the names as words.
CREATE VIRTUAL TABLE party_fts USING fts5 (
    name, aliases,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER party_fts_insert AFTER INSERT ON party BEGIN
    INSERT INTO party_fts (rowid, name, aliases)
    VALUES (new.rowid, new.name, (SELECT group_concat(value, ' ') FROM json_each(new.aliases)));
END;
CREATE TRIGGER party_fts_delete AFTER DELETE ON party BEGIN
    DELETE FROM party_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER party_fts_update AFTER UPDATE ON party BEGIN
    DELETE FROM party_fts WHERE rowid = old.rowid;
    INSERT INTO party_fts (rowid, name, aliases)
    VALUES (new.rowid, new.name, (SELECT group_concat(value, ' ') FROM json_each(new.aliases)));
END;

CREATE TABLE matter_party (
    id          TEXT PRIMARY KEY,
    matter_id   TEXT NOT NULL REFERENCES matter (id),
    party_id    TEXT NOT NULL REFERENCES party (id),
    role        TEXT NOT NULL CHECK (role IN ('client', 'adverse', 'co_party', 'counsel', 'witness')),
    revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (matter_id, party_id, role)
);
CREATE INDEX matter_party_party ON matter_party (party_id);

CREATE TABLE provider (
    id                            TEXT PRIMARY KEY,
    legal_name                    TEXT NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    countries                     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(countries) AND json_type(countries) = 'array'),
    services                      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(services) AND json_type(services) = 'array'),
    rates                         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(rates) AND json_type(rates) = 'array'),
    contacts                      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(contacts) AND json_type(contacts) = 'array'),
    diligence                     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(diligence) AND json_type(diligence) = 'array'),
    diligence_review_on           TEXT,      -- YYYY-MM-DD
    nda_on_file                   INTEGER NOT NULL DEFAULT 0 CHECK (nda_on_file IN (0, 1)),
    nda_signed_on                 TEXT,
    baa_on_file                   INTEGER NOT NULL DEFAULT 0 CHECK (baa_on_file IN (0, 1)),
    baa_signed_on                 TEXT,
    transfer_mechanism_on_file    INTEGER NOT NULL DEFAULT 0 CHECK (transfer_mechanism_on_file IN (0, 1)),
    transfer_mechanism_signed_on  TEXT,
    ai_use                        TEXT NOT NULL DEFAULT 'undeclared' CHECK (ai_use IN ('undeclared', 'none', 'declared')),
    ai_use_detail                 TEXT,
    conflicts                     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(conflicts) AND json_type(conflicts) = 'array'),
    notes                         TEXT,
    revision                      INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at                    TEXT NOT NULL,
    updated_at                    TEXT NOT NULL,
    -- An agreement on file has its signing date, and only then.
    CHECK ((nda_on_file = 1) = (nda_signed_on IS NOT NULL)),
    CHECK ((baa_on_file = 1) = (baa_signed_on IS NOT NULL)),
    CHECK ((transfer_mechanism_on_file = 1) = (transfer_mechanism_signed_on IS NOT NULL))
);
CREATE UNIQUE INDEX provider_legal_name_unique ON provider (legal_name COLLATE NOCASE);

CREATE VIRTUAL TABLE provider_fts USING fts5 (
    legal_name, services, notes,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER provider_fts_insert AFTER INSERT ON provider BEGIN
    INSERT INTO provider_fts (rowid, legal_name, services, notes)
    VALUES (new.rowid, new.legal_name,
            (SELECT group_concat(value, ' ') FROM json_each(new.services)), new.notes);
END;
CREATE TRIGGER provider_fts_delete AFTER DELETE ON provider BEGIN
    DELETE FROM provider_fts WHERE rowid = old.rowid;
END;
CREATE TRIGGER provider_fts_update AFTER UPDATE ON provider BEGIN
    DELETE FROM provider_fts WHERE rowid = old.rowid;
    INSERT INTO provider_fts (rowid, legal_name, services, notes)
    VALUES (new.rowid, new.legal_name,
            (SELECT group_concat(value, ' ') FROM json_each(new.services)), new.notes);
END;

CREATE TABLE consent (
    id            TEXT PRIMARY KEY,
    matter_id     TEXT NOT NULL REFERENCES matter (id),
    provider_id   TEXT NOT NULL REFERENCES provider (id),
    scope         TEXT NOT NULL CHECK (length(scope) >= 1),
    data_classes  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(data_classes) AND json_type(data_classes) = 'array'),
    countries     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(countries) AND json_type(countries) = 'array'),
    given_on      TEXT NOT NULL,             -- YYYY-MM-DD
    evidence      TEXT NOT NULL CHECK (length(evidence) >= 1),
    revision      INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX consent_matter_provider ON consent (matter_id, provider_id, given_on DESC);
CREATE INDEX consent_provider ON consent (provider_id);

CREATE TABLE assignment (
    id                    TEXT PRIMARY KEY,
    matter_id             TEXT NOT NULL REFERENCES matter (id),
    provider_id           TEXT NOT NULL REFERENCES provider (id),
    scope                 TEXT NOT NULL CHECK (length(scope) >= 1),
    instructions          TEXT,
    due_on                TEXT NOT NULL,     -- YYYY-MM-DD
    budget_cents          INTEGER CHECK (budget_cents >= 0),
    budget_currency       TEXT CHECK (length(budget_currency) = 3),
    billing_mode          TEXT NOT NULL CHECK (billing_mode IN ('cost', 'fee')),
    supervising_attorney  TEXT NOT NULL CHECK (length(supervising_attorney) >= 1),
    status                TEXT NOT NULL DEFAULT 'draft' CHECK (status IN (
                              'draft', 'sent', 'accepted', 'in_progress', 'delivered',
                              'under_review', 'approved', 'revision_requested', 'cancelled')),
    owner                 TEXT NOT NULL DEFAULT 'firm' CHECK (owner IN ('firm', 'provider')),
    revision              INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK ((budget_cents IS NULL) = (budget_currency IS NULL))
);
CREATE INDEX assignment_matter ON assignment (matter_id, status);
CREATE INDEX assignment_provider ON assignment (provider_id, status);
CREATE INDEX assignment_due ON assignment (due_on);
