-- Conflict checks: a matter's parties against a provider's declared conflicts (or,
-- with no provider, against the parties of the firm's other matters), the matches
-- found, and who cleared each. A new check is a new row; the newest counts.
-- Released migrations are never edited: add a new numbered file instead.

CREATE TABLE conflict_check (
    id           TEXT PRIMARY KEY,
    matter_id    TEXT NOT NULL REFERENCES matter (id),
    provider_id  TEXT REFERENCES provider (id),
    checked_at   TEXT NOT NULL,
    checked_by   TEXT NOT NULL,
    matches      TEXT NOT NULL CHECK (json_valid(matches) AND json_type(matches) = 'array')
);
CREATE INDEX conflict_check_matter ON conflict_check (matter_id, provider_id, checked_at);
