-- The disclosure ledger names the key fingerprints each send was encrypted to, in a
-- column of its own (before, they were only in the reasons' text).
-- Released migrations are never edited: add a new numbered file instead.
ALTER TABLE disclosure ADD COLUMN recipients TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(recipients));
