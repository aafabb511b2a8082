-- The SHA-256 of each holiday calendar file a computed deadline was counted with, in
-- the order of its `calendars` (comma-separated): when a firm edits a calendar (adds
-- a court closure), the deadlines it shaped are found and offered a recompute.
-- Empty for deadlines entered by hand and for those computed before this migration.
ALTER TABLE deadline ADD COLUMN calendars_sha256 TEXT NOT NULL DEFAULT '';
