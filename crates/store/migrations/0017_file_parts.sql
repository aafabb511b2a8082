-- File bytes move from one value per file (blob.data) into parts of at most 1 MiB
-- (blob_part), each blob naming its set of parts (blob.parts). A large file can then
-- be written as it arrives and read back a part at a time: a document received from
-- a provider goes from the decryptor into its parts once, and becomes a blob by one
-- small row, instead of being staged, re-read, hashed and copied into a value of its
-- full size (which SQLite first fills with zeros). Still inside this encrypted
-- database, so nothing of the bytes is ever on disk in plaintext.
CREATE TABLE blob_part (
    parts  INTEGER NOT NULL,
    n      INTEGER NOT NULL CHECK (n >= 0),
    data   BLOB NOT NULL,
    PRIMARY KEY (parts, n)
);

-- A large file being received: its parts are written under `parts` before it is
-- applied; applying it makes them a blob's. Cleared when the item is refused, and
-- before a new attempt.
CREATE TABLE incoming_file (
    envelope_id  TEXT PRIMARY KEY,
    parts        INTEGER NOT NULL UNIQUE
);

-- Each file held so far becomes one part of its own, numbered by its row. Dropping
-- the column afterwards rewrites the rows in place, keeping their rowids.
ALTER TABLE blob ADD COLUMN parts INTEGER;
INSERT INTO blob_part (parts, n, data) SELECT rowid, 0, data FROM blob;
ALTER TABLE blob DROP COLUMN data;
UPDATE blob SET parts = rowid;
CREATE UNIQUE INDEX blob_by_parts ON blob (parts);

-- Replaced by incoming_file: what it held was staging only.
DROP TABLE incoming_chunk;
