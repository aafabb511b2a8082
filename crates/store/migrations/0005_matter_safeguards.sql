-- Matter safeguards (supervising attorney, classes of sensitive data, countries
-- where providers may process the matter's data), and indexes for the matter list
-- at scale: seek pagination per sort, with and without a status, and the filters
-- by client, court and provider.
-- Released migrations are never edited: add a new numbered file instead.

ALTER TABLE matter ADD COLUMN supervising_attorney TEXT
    CHECK (supervising_attorney IS NULL OR length(supervising_attorney) BETWEEN 1 AND 120);
-- JSON arrays, read and written whole with the row; Rust validates their contents
-- (known classes, ISO 3166-1 alpha-2 codes, sorted, each once).
ALTER TABLE matter ADD COLUMN data_classes TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(data_classes) AND json_type(data_classes) = 'array');
-- Empty: no restriction.
ALTER TABLE matter ADD COLUMN allowed_countries TEXT NOT NULL DEFAULT '[]'
    CHECK (json_valid(allowed_countries) AND json_type(allowed_countries) = 'array');

-- Every list order ends with the matter number (unique), so a page ends at a
-- (sort key, number) position and the next page seeks just past it. Each order has
-- an index with and without the status in front. These replace the single-column
-- indexes of 0001, which are prefixes of them.
DROP INDEX IF EXISTS matter_status_opened;
DROP INDEX IF EXISTS matter_opened;
DROP INDEX IF EXISTS matter_title;
DROP INDEX IF EXISTS matter_client;
CREATE INDEX matter_opened_number ON matter (opened_on DESC, number COLLATE NOCASE DESC);
CREATE INDEX matter_status_opened_number ON matter (status, opened_on DESC, number COLLATE NOCASE DESC);
CREATE INDEX matter_status_number ON matter (status, number COLLATE NOCASE);
CREATE INDEX matter_title_number ON matter (title COLLATE NOCASE, number COLLATE NOCASE);
CREATE INDEX matter_status_title_number ON matter (status, title COLLATE NOCASE, number COLLATE NOCASE);
-- Also serves the client filter (a name or its beginning is a range of this index).
CREATE INDEX matter_client_number ON matter (client_name COLLATE NOCASE, number COLLATE NOCASE);
CREATE INDEX matter_status_client_number ON matter (status, client_name COLLATE NOCASE, number COLLATE NOCASE);
-- The court filter: a court holds a small share of the matters, read in opening order.
CREATE INDEX matter_court_opened ON matter (court COLLATE NOCASE, opened_on DESC, number COLLATE NOCASE DESC);

-- The provider filter: the matters a provider has work orders on.
CREATE INDEX assignment_provider_matter ON assignment (provider_id, matter_id);
