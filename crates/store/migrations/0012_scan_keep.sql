-- Numbers the sensitive-number scan found in an item about to be shared and that a
-- named person decided to send as they are. The number itself is not kept: only its
-- SHA-256, with the item and the work order it was decided for.
-- Released migrations are never edited: add a new numbered file instead.
CREATE TABLE scan_keep (
    assignment_id  TEXT NOT NULL REFERENCES assignment (id) ON DELETE CASCADE,
    item_id        TEXT NOT NULL,
    hit_sha256     TEXT NOT NULL CHECK (length(hit_sha256) = 64),
    kept_by        TEXT NOT NULL CHECK (length(kept_by) >= 1),
    kept_at        TEXT NOT NULL,
    PRIMARY KEY (assignment_id, item_id, hit_sha256)
);
