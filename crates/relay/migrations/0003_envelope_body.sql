-- Small envelopes (messages, status moves, briefs: at most the listing's inline size)
-- are kept in their row, committed with it in one durable SQLite transaction, instead
-- of a file of their own: a file costs a write, an fsync, a rename and a folder fsync
-- on top of the commit, which capped a relay at about 1,000 small envelopes a second.
-- NULL for envelopes kept as files (the large ones, and every one written before).
-- Never edit a released file.
ALTER TABLE envelope ADD COLUMN body BLOB;
