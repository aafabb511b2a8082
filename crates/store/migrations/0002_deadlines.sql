-- Deadlines on matters (and, later, assignments), their reminders, and settings.

CREATE TABLE deadline (
    id            TEXT PRIMARY KEY,
    matter_id     TEXT NOT NULL REFERENCES matter (id) ON DELETE CASCADE,
    assignment_id TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('court', 'internal', 'vendor')),
    title         TEXT NOT NULL,
    -- How it was computed, kept so a changed trigger can recompute it.
    rule_id       TEXT,
    chain_id      TEXT,
    trigger_group TEXT NOT NULL,            -- deadlines made together move together
    citation      TEXT,
    trigger_date  TEXT,
    trigger_name  TEXT,
    period_days   INTEGER,
    method        TEXT,
    direction     TEXT,
    service       TEXT,
    calendars     TEXT NOT NULL,            -- comma-separated calendar ids
    -- The result.
    due_date      TEXT NOT NULL,            -- YYYY-MM-DD
    due_at        TEXT,                     -- RFC 9557, court's time zone
    time_zone     TEXT NOT NULL,
    explanation   TEXT NOT NULL,            -- JSON {"steps": [...], "verify": [...]}
    serves_id     TEXT REFERENCES deadline (id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'done')),
    done_by       TEXT,
    done_at       TEXT,
    reminders     TEXT NOT NULL,            -- JSON array of lead times in minutes
    sequence      INTEGER NOT NULL DEFAULT 0,
    revision      INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX deadline_status_due ON deadline (status, due_date);
CREATE INDEX deadline_matter_due ON deadline (matter_id, due_date);
CREATE INDEX deadline_group ON deadline (trigger_group);

-- One row per reminder shown, keyed by the due date it was for, so a recomputed
-- deadline reminds again and a restart never reminds twice.
CREATE TABLE deadline_reminder_sent (
    deadline_id  TEXT NOT NULL REFERENCES deadline (id) ON DELETE CASCADE,
    lead_minutes INTEGER NOT NULL,
    due_date     TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    PRIMARY KEY (deadline_id, lead_minutes, due_date)
);

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                     -- JSON
);
