//! File bytes: content-addressed by SHA-256 (`blob`), kept in parts of at most
//! [`PART`] bytes (`blob_part`, migration 0017) inside the encrypted database.
//!
//! Parts are what let a large file move without being held whole: a document
//! received from a provider is written from the decryptor straight into parts, and
//! becomes a blob by one small row ([`adopt`]); a document being sent is read back a
//! part at a time ([`FileReader`]). Files held before migration 0017 are one part
//! each, of any size, which is why parts are read through SQLite's incremental I/O.

use std::collections::VecDeque;
use std::io::Read;

use mandate_core::{Error, ErrorCode, Result};
use rusqlite::{OptionalExtension, params};

use crate::db::Ctx;

/// The size of a part as written (earlier files may be one larger part).
pub(crate) const PART: usize = 1024 * 1024;

/// A received file's parts are committed in groups: one commit per group, not per
/// part, and the window's writes wait at most one group's time.
pub(crate) const PARTS_PER_COMMIT: i64 = 16;

/// SQLite's page cache, in KiB, while a large file is written or read. The store's
/// usual cache (64 MiB, for lists of 100,000 matters) would otherwise fill with pages
/// of the file that will not be read again, and the process's memory with it.
const LEAN_CACHE_KIB: i64 = 4 * 1024;

/// A number for a new set of parts: above every set in use, held or being received.
/// Inside the caller's write transaction, so two writers never take the same number.
pub(crate) fn next_parts(conn: &rusqlite::Connection) -> Result<i64> {
    conn.query_row(
        "SELECT max(
            coalesce((SELECT max(parts) FROM blob), 0),
            coalesce((SELECT max(parts) FROM blob_part), 0),
            coalesce((SELECT max(parts) FROM incoming_file), 0)) + 1",
        [],
        |r| r.get(0),
    )
    .ctx("number the file's parts")
}

/// Stores `bytes` under their SHA-256 `sha256`, in parts, unless that file is
/// already held. Inside the caller's transaction.
pub(crate) fn put(conn: &rusqlite::Connection, sha256: &str, bytes: &[u8]) -> Result<()> {
    if held(conn, sha256)? {
        return Ok(());
    }
    let parts = next_parts(conn)?;
    let mut insert = conn
        .prepare_cached("INSERT INTO blob_part (parts, n, data) VALUES (?1, ?2, ?3)")
        .ctx("store the file")?;
    for (n, part) in bytes.chunks(PART).enumerate() {
        insert
            .execute(params![parts, n as i64, part])
            .ctx("store the file")?;
    }
    conn.execute(
        "INSERT INTO blob (sha256, size, parts) VALUES (?1, ?2, ?3)",
        params![sha256, bytes.len() as i64, parts],
    )
    .ctx("store the file")?;
    Ok(())
}

/// Makes the parts numbered `parts` (written by a receiver) the file `sha256` of
/// `size` bytes — or, when that file is already held, drops them. Inside the
/// caller's transaction; the caller has checked the parts against the hash.
pub(crate) fn adopt(
    conn: &rusqlite::Connection,
    parts: i64,
    sha256: &str,
    size: i64,
) -> Result<()> {
    let inserted = conn
        .execute(
            "INSERT OR IGNORE INTO blob (sha256, size, parts) VALUES (?1, ?2, ?3)",
            params![sha256, size, parts],
        )
        .ctx("store the file")?;
    if inserted == 0 {
        remove_parts(conn, parts)?;
    }
    Ok(())
}

pub(crate) fn remove_parts(conn: &rusqlite::Connection, parts: i64) -> Result<()> {
    conn.execute("DELETE FROM blob_part WHERE parts = ?1", [parts])
        .ctx("remove the file's parts")?;
    Ok(())
}

fn held(conn: &rusqlite::Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM blob WHERE sha256 = ?1", [sha256], |_| Ok(()))
        .optional()
        .ctx("look for the file")?
        .is_some())
}

/// The whole file `sha256`, for files opened, exported or delivered as one value.
pub(crate) fn read_all(conn: &rusqlite::Connection, sha256: &str) -> Result<Vec<u8>> {
    let (mut reader, size) = FileReader::open(conn, sha256)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Could not read the file: {e}")))?;
    Ok(bytes)
}

/// Reads a stored file part by part, each through SQLite's incremental I/O, so
/// neither a part nor the file is ever whole in memory; SQLite's page cache is kept
/// small meanwhile ([`LeanCache`]) when the file has more than one part.
pub struct FileReader<'c> {
    conn: &'c rusqlite::Connection,
    /// The rowids of the parts still to open, in order.
    left: VecDeque<i64>,
    current: Option<rusqlite::blob::Blob<'c>>,
    _cache: Option<LeanCache<'c>>,
}

impl<'c> FileReader<'c> {
    /// The reader and the file's size.
    pub(crate) fn open(conn: &'c rusqlite::Connection, sha256: &str) -> Result<(Self, i64)> {
        let (parts, size): (i64, i64) = conn
            .query_row(
                "SELECT parts, size FROM blob WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ctx("read the file")?;
        let left = {
            let mut stmt = conn
                .prepare_cached("SELECT rowid FROM blob_part WHERE parts = ?1 ORDER BY n")
                .ctx("read the file")?;
            stmt.query_map([parts], |r| r.get(0))
                .ctx("read the file")?
                .collect::<rusqlite::Result<VecDeque<i64>>>()
                .ctx("read the file")?
        };
        let reader = Self {
            conn,
            // A file of one part passes through the cache without crowding it out.
            _cache: (left.len() > 1).then(|| LeanCache::new(conn)),
            left,
            current: None,
        };
        Ok((reader, size))
    }
}

impl Read for FileReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if let Some(part) = &mut self.current {
                let n = part.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                self.current = None;
            }
            let Some(rowid) = self.left.pop_front() else {
                return Ok(0);
            };
            self.current = Some(
                self.conn
                    .blob_open(rusqlite::MAIN_DB, "blob_part", "data", rowid, true)
                    .map_err(|e| std::io::Error::other(format!("could not read the file: {e}")))?,
            );
        }
    }
}

/// Keeps SQLite's page cache small while it lives, then gives the store its usual
/// cache back.
pub(crate) struct LeanCache<'c> {
    conn: &'c rusqlite::Connection,
    usual: Option<i64>,
}

impl<'c> LeanCache<'c> {
    pub(crate) fn new(conn: &'c rusqlite::Connection) -> Self {
        let usual = conn
            .query_row("PRAGMA cache_size", [], |r| r.get::<_, i64>(0))
            .ok();
        // A cache already smaller (or unreadable) is left as it is.
        let usual = usual.filter(|u| *u < -LEAN_CACHE_KIB || *u > LEAN_CACHE_KIB / 4);
        if usual.is_some() {
            let _ = conn.execute_batch(&format!("PRAGMA cache_size = -{LEAN_CACHE_KIB}"));
        }
        Self { conn, usual }
    }
}

impl Drop for LeanCache<'_> {
    fn drop(&mut self) {
        if let Some(usual) = self.usual {
            let _ = self
                .conn
                .execute_batch(&format!("PRAGMA cache_size = {usual}"));
        }
    }
}
