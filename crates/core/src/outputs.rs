//! What a backup or an export reports while it runs and when it is done, in the
//! shape the window shows.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The step a long job is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProgressPhase {
    /// Deriving the backup key from the passphrase (Argon2id): one step.
    Key,
    /// Copying the store into a new database keyed for the backup (one SQLCipher
    /// call, so one step: nothing finer can be measured honestly).
    Copying,
    /// Computing the SHA-256 of that copy; `done`/`total` are bytes.
    Checking,
    /// Writing the backup file; `done`/`total` are bytes.
    Writing,
    /// Writing an export; one step per file (kind of record).
    Exporting,
}

/// How far a long job has come. Within a phase `done` never exceeds `total`,
/// and the last report of each phase has `done == total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Progress {
    pub phase: ProgressPhase,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// What the step just finished was about (an export's file name), if anything.
    pub item: Option<String>,
}

impl Progress {
    pub fn new(phase: ProgressPhase, done: u64, total: u64) -> Self {
        Self {
            phase,
            done,
            total,
            item: None,
        }
    }
}

/// A backup just written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    pub path: String,
    /// Size of the whole backup file.
    #[ts(type = "number")]
    pub bytes: u64,
    /// SHA-256 of the encrypted database inside the file, as recorded in its header
    /// (what `mandate backup inspect` checks).
    pub sha256: String,
    /// RFC 3339 UTC.
    pub created_at: String,
}

/// One file an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportedFileSummary {
    pub path: String,
    #[ts(type = "number")]
    pub records: u64,
}

/// A place picked in a native dialog that Rust opened: the one-time token that the
/// write command takes instead of a path, and the path itself, for the window to
/// show (it cannot be sent back in its place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChosenTarget {
    pub token: String,
    pub path: String,
}
