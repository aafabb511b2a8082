-- The people of the firm: each audit record, approval, override and ledger row names
-- the person at the desk (chosen in Settings or with `mandate person use`).
-- Released migrations are never edited: add a new numbered file instead.
CREATE TABLE person (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL CHECK (length(name) >= 1),
    role           TEXT NOT NULL CHECK (role IN ('attorney', 'paralegal', 'staff')),
    bar_admission  TEXT,
    created_at     TEXT NOT NULL,
    CHECK ((role = 'attorney') = (bar_admission IS NOT NULL))
);
CREATE UNIQUE INDEX person_name ON person (name COLLATE NOCASE);
