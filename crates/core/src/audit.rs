//! What the audit chain reports: who did what to which item, and whether the
//! chain is still intact.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditRecord {
    #[ts(type = "number")]
    pub seq: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    /// `matter.create`, `matter.update`, `matter.close`, ...
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditReport {
    #[ts(type = "number")]
    pub records: u64,
    pub intact: bool,
    /// The sequence number of the first record whose link is broken.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
    /// Set when the chain is shorter than the head recorded outside the database
    /// (`audit-head.json`, and in backups), or disagrees with it: newest records
    /// were removed or replaced.
    pub head_problem: Option<String>,
}
