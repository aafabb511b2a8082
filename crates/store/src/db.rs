//! Opening the encrypted database, its pragmas (set here and nowhere else), and the
//! translation of SQLite errors into errors a person can act on.

use std::path::Path;

use mandate_core::{Error, ErrorCode, Result};
use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags};

use crate::vault::StoreKey;

pub(crate) fn open_encrypted(path: &Path, key: &StoreKey) -> Result<Connection> {
    crate::files::ensure_private_file(path)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| map(e, "open the store"))?;
    // Before the first read, so a reader that meets another process's write waits
    // instead of failing with "database is locked".
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| map(e, "configure the store"))?;
    // Every write transaction takes the write lock when it begins. A deferred one
    // would start as a reader and fail with SQLITE_BUSY, without waiting, when it
    // tries to write after another process wrote: the window and the CLI writing at
    // once would lose writes.
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    // Not `PRAGMA cipher_memory_security = ON` (wipe and mlock every allocation):
    // measured here it made `mandate generate --matters 20000` take 11.4 s instead
    // of 0.8 s (almost all of it in mlock/munlock system calls), which would break
    // the 100,000-matter list. SQLCipher's default (off since 4.5) stands; keys in
    // Mandate's own memory are zeroized (`StoreKey`, passphrases).

    // A raw 256-bit key (x'..'), so SQLCipher skips its passphrase KDF: the key is
    // already random. PRAGMA key itself always succeeds; the read below is what
    // tells a wrong key apart.
    let pragma = zeroize::Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", key.hex().as_str()));
    conn.execute_batch(&pragma)
        .map_err(|e| map(e, "unlock the store"))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == SqliteCode::NotADatabase => {
            return Err(Error::new(
                ErrorCode::WrongKey,
                "The key in your keyring does not open this store. If you restored the store \
                 from another machine, restore its key too; otherwise restore from a backup.",
            ));
        }
        Err(e) => return Err(map(e, "read the store")),
    }
    // WAL with synchronous=NORMAL: durable across application crashes, fast
    // enough for bulk imports; temp_store=MEMORY keeps sort spills off the disk.
    // A 64 MiB page cache: every page read from disk is decrypted, so SQLCipher's
    // 2 MiB default makes large stores decrypt the same pages over and over.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -65536;",
    )
    .map_err(|e| map(e, "configure the store"))?;
    Ok(conn)
}

/// Refreshes the query planner's statistics (`sqlite_stat1`) for the tables the
/// matter list filters and sorts: `matter` and `assignment`, from a sample of about
/// a thousand rows per index, so it takes milliseconds however large the store.
/// Without statistics the planner guesses, and a filtered list (a rare client, a
/// provider) may walk a sort's whole index. Run when the store opens and after
/// bulk writes.
///
/// Deliberately not `PRAGMA optimize` over the whole database: on a new store that
/// records the full-text indexes' shadow tables as nearly empty, and a bulk import
/// into them afterwards ran about three times slower.
pub(crate) fn optimize(conn: &Connection) {
    // An optimisation only: if it fails (a busy database), nothing is lost.
    let _ = conn.execute_batch(
        "PRAGMA analysis_limit = 1000;
         ANALYZE matter;
         ANALYZE assignment;
         PRAGMA analysis_limit = 0;",
    );
}

/// Re-encrypts the whole database with `key`.
pub(crate) fn rekey(conn: &Connection, key: &StoreKey) -> Result<()> {
    let pragma = zeroize::Zeroizing::new(format!("PRAGMA rekey = \"x'{}'\";", key.hex().as_str()));
    conn.execute_batch(&pragma)
        .map_err(|e| map(e, "re-encrypt the store"))
}

/// Moves every committed page from the WAL into the database file and syncs it,
/// so the file on disk alone holds the store as it now is (after a re-key, before
/// `store.json` names the new key).
pub(crate) fn checkpoint_and_sync(conn: &Connection, path: &Path) -> Result<()> {
    let (busy, _, _): (i64, i64, i64) = conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .map_err(|e| map(e, "write the store to disk"))?;
    if busy != 0 {
        return Err(Error::new(
            ErrorCode::Io,
            "Could not write the whole store to disk: another Mandate window or command is \
             reading it. Close it and try again.",
        ));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| crate::io_error(path, &e))
}

/// Maps a SQLite error raised while doing `what` to an error that says what to do.
pub(crate) fn map(e: rusqlite::Error, what: &str) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            SqliteCode::DiskFull => {
                return Error::new(
                    ErrorCode::Io,
                    format!(
                        "Could not {what}: the disk is full. Free some space and try again; nothing was saved."
                    ),
                );
            }
            SqliteCode::ReadOnly | SqliteCode::CannotOpen | SqliteCode::PermissionDenied => {
                return Error::new(
                    ErrorCode::Io,
                    format!(
                        "Could not {what}: the store's folder cannot be written ({e}). Check its permissions."
                    ),
                );
            }
            SqliteCode::DatabaseCorrupt | SqliteCode::NotADatabase => {
                return Error::new(
                    ErrorCode::Corrupt,
                    format!(
                        "Could not {what}: the store file is damaged ({e}). Restore it from a backup."
                    ),
                );
            }
            SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked => {
                return Error::new(
                    ErrorCode::Io,
                    format!(
                        "Could not {what}: another Mandate window or command is using the store. Try again in a moment."
                    ),
                );
            }
            _ => {}
        }
    }
    Error::internal(format!("Could not {what}: {e}"))
}

pub(crate) trait Ctx<T> {
    /// Attaches what was being done to a SQLite error.
    fn ctx(self, what: &str) -> Result<T>;
}

impl<T> Ctx<T> for rusqlite::Result<T> {
    fn ctx(self, what: &str) -> Result<T> {
        self.map_err(|e| map(e, what))
    }
}

pub(crate) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}
