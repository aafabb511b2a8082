//! Mandate's local store: everything a firm keeps about its matters, in one
//! SQLCipher database per workspace.
//!
//! The database is encrypted with a random 256-bit key that lives only in the OS
//! keyring (Secret Service on Linux), one keyring entry per store, named by the
//! store's own id. Nothing of a matter is written to disk in plaintext: SQLCipher
//! encrypts the main file, the WAL and temporary tables, and the only plaintext file
//! beside them (`store.json`) names the store and how to unlock it, nothing more.
//!
//! Every write validates with `mandate-core`, writes its rows and appends the audit
//! record in one transaction.

mod assignments;
mod audit;
mod backup;
#[cfg(any(test, feature = "scale-tools"))]
pub mod bench;
mod blobs;
mod check;
mod conflicts;
mod consents;
mod db;
mod deadlines;
mod demo;
mod documents;
mod exchange;
mod export;
mod files;
#[cfg(any(test, feature = "scale-tools"))]
mod generate;
mod location;
mod matters;
mod messages;
mod migrate;
mod outputs;
mod parties;
mod people;
mod providers;
mod report;
mod scans;
mod search;
mod security;
mod settings;
mod sql;
mod unlock;
mod vault;

pub use audit::AuditHead;
pub use backup::{
    BackupHeader, BackupInfo, RestoreKey, backup_inspect, backup_restore, backup_restore_with,
};
pub use check::StoreCheck;
pub use demo::DemoSummary;
pub use documents::{PreparedDocument, prepare_document, sha256_hex};
pub use exchange::{
    ChannelAccess, Incoming, IncomingFile, IncomingWriter, ListedMember, NewChannel, OutboxPayload,
    RelayAccess,
};
pub use export::{ExportFormat, ExportedFile, write_file_atomically};
#[cfg(any(test, feature = "scale-tools"))]
pub use generate::GenerateReport;
pub use location::{DataDir, resolve_data_dir};
pub use mandate_core::MessageHit;
pub use mandate_core::{AuditRecord, AuditReport};
pub use messages::SEARCH_MAX;
pub use migrate::LATEST_VERSION;
pub use outputs::{
    BACKUP_EXTENSION, CALENDAR_EXTENSION, Existing, check_backup_file, check_calendar_file,
    check_copy_file, check_export_folder, export_folder_in, has_extension, with_extension,
};
pub use report::{check_ledger_file, check_report_file, consent_description};
pub use search::fts_query;
pub use security::{IDLE_LOCK_CHOICES, IDLE_LOCK_DEFAULT_MINUTES};
pub use unlock::{CurrentSecret, KdfParams, MIN_PASSPHRASE_CHARS, unlock_penalty};
pub use vault::{KEYRING_SERVICE, KeyVault, MemoryVault, SecretServiceVault, StoreKey};

use std::path::{Path, PathBuf};

use mandate_core::{Error, ErrorCode, Result};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// The file beside the database that says which store this is and how its key is
/// kept. It holds no client data.
const META_FILE: &str = "store.json";
/// The encrypted database.
pub const DB_FILE: &str = "mandate.db";
/// Raised when the layout of the store directory itself changes.
const META_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoreMeta {
    format: u32,
    store_id: String,
    /// Where the key is: "keyring", or "passphrase" (derived with `kdf`).
    key_source: String,
    /// Argon2id parameters and salt, for a passphrase store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kdf: Option<unlock::KdfParams>,
    created_at: String,
}

const KEY_SOURCE_KEYRING: &str = "keyring";
const KEY_SOURCE_PASSPHRASE: &str = "passphrase";

/// An open, unlocked store.
pub struct Store {
    conn: Connection,
    dir: PathBuf,
    store_id: String,
    /// "keyring" or "passphrase".
    key_source: String,
    /// Recorded as the actor of audit records; the OS user until accounts exist.
    actor: String,
    /// A digest of the key that opened the database, so a change of passphrase can
    /// check the current secret without keeping the key itself.
    key_check: [u8; 32],
    /// The key itself, kept only to open a second connection for background work
    /// ([`Store::second_connection`]); wiped when the store is dropped (locked).
    key: StoreKey,
    /// The newest audit record this process knows is also written outside the
    /// database (`audit-head.json`), and what opening found wrong with it, if anything.
    audit_head: std::cell::Cell<i64>,
    /// While set, the head file is written once at the end of a batch of writes
    /// ([`Store::begin_audit_batch`]) rather than after each.
    audit_batch: std::cell::Cell<bool>,
    audit_warning: Option<String>,
    /// `PRAGMA data_version` as last read (see [`Store::take_outside_changes`]).
    seen_data_version: std::cell::Cell<i64>,
    /// The firm's calendars as last read from `calendars/` (see
    /// `deadlines::calendar_registry`): read again only when the folder changed.
    calendars: std::cell::RefCell<deadlines::CalendarCache>,
    /// Reads the text of documents added with [`Store::add_document`].
    extractor: mandate_extract::Extractor,
    /// The only source of "now" in the store ([`Store::set_clock`]).
    clock: StoreClock,
}

/// The store's clock, a field of its own so that it can be read while a
/// transaction holds the connection.
#[derive(Clone)]
pub(crate) struct StoreClock(std::sync::Arc<dyn mandate_core::clock::Clock>);

impl StoreClock {
    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.0.now()
    }

    /// Now as records keep it (RFC 3339, UTC).
    pub(crate) fn stamp(&self) -> String {
        mandate_core::dates::format_instant(self.0.now())
    }

    /// The date on this desk's calendar (its time zone), for a date a person did not
    /// type: a matter opened "today".
    pub(crate) fn today(&self) -> jiff::civil::Date {
        self.0
            .now()
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .date()
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("store_id", &self.store_id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the store in `dir`, creating it (and its key) on first use.
    ///
    /// Never creates a new store over an existing database: if the database is
    /// there but its key or its `store.json` is not, this fails with an error that
    /// says what is missing.
    pub fn open(dir: &Path, vault: &dyn KeyVault) -> Result<Self> {
        let (db_exists, meta) = match existing(dir)? {
            (db_exists, Some(meta)) => (db_exists, meta),
            (_, None) => {
                // A new store. The key goes into the keyring *before* store.json
                // names the keyring as its home: with no keyring reachable nothing is
                // written, and the person can choose a passphrase store instead.
                let meta = new_meta(KEY_SOURCE_KEYRING, None);
                let key = StoreKey::generate();
                vault.put(&meta.store_id, &key)?;
                write_meta(&dir.join(META_FILE), &meta)?;
                return Self::finish(dir, meta, &key);
            }
        };
        if meta.key_source == KEY_SOURCE_PASSPHRASE {
            return Err(passphrase_required());
        }
        // A move to a passphrase that was cut short: store.json still says
        // keyring, and store.json.next holds the passphrase settings.
        let pending = unlock::pending_change(dir)?;
        let key = match vault.get(&meta.store_id)? {
            Some(key) => key,
            None if pending.is_some() => return Err(unlock::finish_change_error()),
            None if db_exists => {
                return Err(Error::new(
                    ErrorCode::Locked,
                    format!(
                        "This store is locked: its key (store {}) is not in your keyring. \
                         Unlock the keyring that holds it, or restore the store from a backup.",
                        meta.store_id
                    ),
                ));
            }
            None => {
                // store.json was written but the database never was: finish the
                // first run with a fresh key.
                let key = StoreKey::generate();
                vault.put(&meta.store_id, &key)?;
                key
            }
        };
        match Self::finish(dir, meta, &key) {
            Ok(store) => {
                // The keyring key still opens the database, so the re-key never
                // happened: the pending settings are stale.
                if pending.is_some() {
                    unlock::drop_pending_change(dir)?;
                }
                Ok(store)
            }
            Err(e) if e.code == ErrorCode::WrongKey && pending.is_some() => {
                Err(unlock::finish_change_error())
            }
            Err(e) => Err(e),
        }
    }

    /// Opens the database with `key` and brings its schema up to date.
    fn finish(dir: &Path, meta: StoreMeta, key: &StoreKey) -> Result<Self> {
        let conn = db::open_encrypted(&dir.join(DB_FILE), key)?;
        let mut store = Store {
            conn,
            dir: dir.to_path_buf(),
            store_id: meta.store_id,
            key_source: meta.key_source,
            actor: whoami(),
            key_check: key.check_digest(),
            key: key.clone(),
            audit_head: std::cell::Cell::new(0),
            audit_batch: std::cell::Cell::new(false),
            audit_warning: None,
            seen_data_version: std::cell::Cell::new(0),
            calendars: Default::default(),
            extractor: mandate_extract::Extractor::InProcess,
            clock: StoreClock(std::sync::Arc::new(mandate_core::clock::SystemClock)),
        };
        migrate::run(&mut store.conn)?;
        db::optimize(&store.conn);
        store.audit_warning = store.check_audit_head()?;
        store.seen_data_version.set(store.data_version()?);
        store.take_desk_actor();
        Ok(store)
    }

    /// How [`Store::add_document`] reads a file's text. A new store reads in this
    /// process, which suits tests and Mandate's own sample files; the app and the
    /// CLI set [`mandate_extract::Extractor::isolated`] (a child process with limits),
    /// so that a hostile PDF fails only its own text.
    pub fn set_extractor(&mut self, extractor: mandate_extract::Extractor) {
        self.extractor = extractor;
    }

    /// The clock every time the store records comes from: the system's unless set
    /// (tests hold time still with [`mandate_core::clock::FixedClock`]).
    pub fn set_clock(&mut self, clock: std::sync::Arc<dyn mandate_core::clock::Clock>) {
        self.clock = StoreClock(clock);
    }

    /// Now, by the store's clock: for the work around the store (the sync engine's
    /// retry times) to keep the same time as the records it writes.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Whether the key is derived from a passphrase (rather than kept in the keyring).
    pub fn is_passphrase_protected(&self) -> bool {
        self.key_source == KEY_SOURCE_PASSPHRASE
    }

    pub fn id(&self) -> &str {
        &self.store_id
    }

    /// Whether another connection (the `mandate` command, a second window) has
    /// committed to the store since the store was opened or this was last asked;
    /// this connection's own writes do not count (`PRAGMA data_version`). Polled,
    /// it tells an open window to refetch. The first reading is taken when the store
    /// opens, so a write made before the first poll is not missed.
    pub fn take_outside_changes(&self) -> Result<bool> {
        let now = self.data_version()?;
        Ok(self.seen_data_version.replace(now) != now)
    }

    fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| db::map(e, "read the store"))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A second connection to the same store, with the same key, for work that
    /// must not hold the window's connection while it waits on the network (the
    /// sync engine). Writes on either are seen by the other (WAL, IMMEDIATE
    /// transactions, a busy timeout). Dropping the store that made it does not
    /// close it: whoever holds it drops it when the store is locked.
    pub fn second_connection(&self) -> Result<Store> {
        let conn = db::open_encrypted(&self.dir.join(DB_FILE), &self.key)?;
        let store = Store {
            conn,
            dir: self.dir.clone(),
            store_id: self.store_id.clone(),
            key_source: self.key_source.clone(),
            actor: self.actor.clone(),
            key_check: self.key_check,
            key: self.key.clone(),
            audit_head: std::cell::Cell::new(self.audit_head.get()),
            audit_batch: std::cell::Cell::new(false),
            audit_warning: None,
            seen_data_version: std::cell::Cell::new(0),
            calendars: Default::default(),
            extractor: self.extractor.clone(),
            clock: self.clock.clone(),
        };
        store.seen_data_version.set(store.data_version()?);
        Ok(store)
    }

    /// Sets who audit records name as the actor (the signed-in person, later).
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        self.actor = actor.into();
    }
}

/// Reads the store's `store.json`, if there is one, and says whether the database
/// exists. Makes the folder (owner only) if it is missing.
///
/// A database without its `store.json` is refused: Mandate never creates a new
/// store over an existing database.
fn existing(dir: &Path) -> Result<(bool, Option<StoreMeta>)> {
    files::ensure_private_dir(dir)?;
    let db_exists = dir.join(DB_FILE).exists();
    let meta = read_meta(&dir.join(META_FILE))?;
    match &meta {
        None if db_exists => {
            return Err(Error::new(
                ErrorCode::Corrupt,
                format!(
                    "{} has a database but no {META_FILE}, so Mandate cannot tell which key opens it. \
                     Restore {META_FILE} from a backup; Mandate will not create a new store over it.",
                    dir.display()
                ),
            ));
        }
        Some(m) if m.format > META_FORMAT => {
            return Err(Error::new(
                ErrorCode::StoreTooNew,
                "This store was made by a newer version of Mandate. Update Mandate to open it.",
            ));
        }
        _ => {}
    }
    Ok((db_exists, meta))
}

fn new_meta(key_source: &str, kdf: Option<unlock::KdfParams>) -> StoreMeta {
    StoreMeta {
        format: META_FORMAT,
        store_id: uuid::Uuid::now_v7().to_string(),
        key_source: key_source.into(),
        kdf,
        // Before there is a store (and its clock): the machine's.
        created_at: mandate_core::dates::format_instant(jiff::Timestamp::now()),
    }
}

fn passphrase_required() -> Error {
    Error::new(
        ErrorCode::PassphraseRequired,
        "This store is protected by a passphrase. Enter it to unlock the store.",
    )
}

fn whoami() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "local user".into())
}

fn read_meta(path: &Path) -> Result<Option<StoreMeta>> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            Error::new(
                ErrorCode::Corrupt,
                format!(
                    "{} is damaged ({e}). Restore it from a backup.",
                    path.display()
                ),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, &e)),
    }
}

/// Writes via a private temporary file, synced, and a rename, then syncs the
/// folder: a crash or a full disk leaves the old file or the new one, never half of
/// one, and the rename itself survives a power cut.
fn write_meta(path: &Path, meta: &StoreMeta) -> Result<()> {
    let body = serde_json::to_vec_pretty(meta).map_err(|e| Error::internal(e.to_string()))?;
    files::replace_durably(path, &body)
}

pub(crate) fn io_error(path: &Path, e: &std::io::Error) -> Error {
    let hint = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "check the folder's permissions",
        std::io::ErrorKind::StorageFull => "free some disk space and try again",
        _ => "check the disk and the folder, then try again",
    };
    Error::new(
        ErrorCode::Io,
        format!("Could not use {}: {e}; {hint}.", path.display()),
    )
}

#[cfg(test)]
mod assignment_tests;
#[cfg(test)]
mod backup_tests;
#[cfg(test)]
mod consent_tests;
#[cfg(test)]
mod deadline_tests;
#[cfg(test)]
mod document_tests;
#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
mod export_tests;
#[cfg(test)]
mod generate_tests;
#[cfg(test)]
mod matter_list_tests;
#[cfg(test)]
mod message_tests;
#[cfg(test)]
mod party_tests;
#[cfg(test)]
mod passphrase_tests;
#[cfg(test)]
mod provider_tests;
#[cfg(test)]
mod record_fixtures;
#[cfg(test)]
mod scan_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod ui_rules_tests;
