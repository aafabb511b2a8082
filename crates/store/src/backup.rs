//! Backups: one file that holds the whole store, encrypted with a key derived from a
//! backup passphrase (Argon2id), so it can be restored on another machine that has
//! neither the keyring entry nor the store passphrase.
//!
//! Layout of a backup file:
//!
//! ```text
//! MANDATE-BACKUP 1\n
//! {"format":1,"store_id":…,"created_at":…,"schema_version":N,"kdf":{…},"db_bytes":N,"db_sha256":"…"}\n
//! <a SQLCipher database keyed with the backup key>
//! ```
//!
//! The SHA-256 catches truncation and damage before anything is restored; SQLCipher's
//! per-page HMAC catches tampering with the database itself. A backup is written
//! beside its destination and renamed into place, so an interrupted backup never
//! replaces a good one.
//!
//! Progress is reported by phase: deriving the key and copying the store are one
//! step each (`sqlcipher_export` is a single call that reports nothing), checking
//! and writing report bytes.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use mandate_core::{Error, ErrorCode, Progress, ProgressPhase, Result};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::unlock::{KdfParams, check_new_passphrase};
use crate::{
    DB_FILE, KEY_SOURCE_KEYRING, KEY_SOURCE_PASSPHRASE, KeyVault, META_FILE, META_FORMAT, Store,
    StoreKey, StoreMeta, db, io_error, migrate, write_meta,
};

const MAGIC: &str = "MANDATE-BACKUP 1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    pub store_id: String,
    pub created_at: String,
    pub schema_version: i64,
    pub kdf: KdfParams,
    pub db_bytes: u64,
    pub db_sha256: String,
}

/// How the restored store keeps its key.
pub enum RestoreKey<'a> {
    Keyring(&'a dyn KeyVault),
    Passphrase(&'a str),
}

fn damaged(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorCode::Corrupt,
        format!(
            "{} is not a usable Mandate backup ({why}). Nothing was restored; use another copy of the backup.",
            path.display()
        ),
    )
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes `db` and the journal files SQLite may have left beside it.
fn remove_with_journals(db: &Path) {
    for suffix in ["-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(db, suffix));
    }
    let _ = std::fs::remove_file(db);
}

/// Exports the database `conn` reads into a new file at `to`, keyed with `key`.
fn export_to(
    conn: &rusqlite::Connection,
    to: &Path,
    key: &StoreKey,
    schema_version: i64,
) -> Result<()> {
    // A run killed part-way can leave the file and a hot journal (or WAL) beside it,
    // written under another key; SQLite would apply it to the new file. All go first.
    remove_with_journals(to);
    let key_sql = zeroize::Zeroizing::new(format!("x'{}'", key.hex().as_str()));
    conn.execute(
        "ATTACH DATABASE ?1 AS export KEY ?2",
        params![to.to_string_lossy(), key_sql.as_str()],
    )
    .map_err(|e| db::map(e, "start the copy"))?;
    let copied = conn
        .query_row("SELECT sqlcipher_export('export')", [], |_| Ok(()))
        .and_then(|()| conn.pragma_update(Some("export"), "user_version", schema_version));
    let detached = conn.execute_batch("DETACH DATABASE export");
    copied.map_err(|e| db::map(e, "copy the store"))?;
    detached.map_err(|e| db::map(e, "finish the copy"))
}

/// Reports bytes as they pass, about a hundred times per phase at most, and always
/// at the start and the end.
struct ByteProgress<'a> {
    phase: ProgressPhase,
    total: u64,
    done: u64,
    reported: u64,
    progress: &'a mut dyn FnMut(Progress),
}

impl<'a> ByteProgress<'a> {
    fn start(phase: ProgressPhase, total: u64, progress: &'a mut dyn FnMut(Progress)) -> Self {
        progress(Progress::new(phase, 0, total));
        Self {
            phase,
            total,
            done: 0,
            reported: 0,
            progress,
        }
    }

    fn add(&mut self, n: u64) {
        self.done = (self.done + n).min(self.total);
        if self.done - self.reported >= (self.total / 100).max(1) || self.done == self.total {
            self.reported = self.done;
            (self.progress)(Progress::new(self.phase, self.done, self.total));
        }
    }

    fn finish(&mut self) {
        if self.reported != self.total || self.done != self.total {
            self.done = self.total;
            self.reported = self.total;
            (self.progress)(Progress::new(self.phase, self.total, self.total));
        }
    }
}

/// Copies `r` into `w` in 1 MiB pieces, reporting each to `bytes`.
fn copy_reporting(
    r: &mut impl Read,
    w: &mut impl Write,
    bytes: &mut ByteProgress<'_>,
) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let got = match r.read(&mut buf) {
            Ok(0) => return Ok(n),
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        w.write_all(&buf[..got])?;
        n += got as u64;
        bytes.add(got as u64);
    }
}

fn sha256_file(path: &Path, progress: &mut dyn FnMut(Progress)) -> Result<(u64, String)> {
    let mut f = File::open(path).map_err(|e| io_error(path, &e))?;
    let total = f.metadata().map_err(|e| io_error(path, &e))?.len();
    let mut bytes = ByteProgress::start(ProgressPhase::Checking, total, progress);
    let mut h = Sha256::new();
    let n = copy_reporting(&mut f, &mut h, &mut bytes).map_err(|e| io_error(path, &e))?;
    bytes.finish();
    Ok((n, hex::encode(h.finalize())))
}

impl Store {
    /// Writes a backup of the whole store to `out`, encrypted for `passphrase`.
    pub fn backup_create(&mut self, out: &Path, passphrase: &str) -> Result<BackupHeader> {
        self.backup_create_params(out, passphrase, KdfParams::recommended())
    }

    pub fn backup_create_params(
        &mut self,
        out: &Path,
        passphrase: &str,
        kdf: KdfParams,
    ) -> Result<BackupHeader> {
        self.backup_create_with_progress(out, passphrase, kdf, &mut |_| {})
    }

    /// As [`Store::backup_create_params`], reporting each phase to `progress`:
    /// key (1 step), copying (1 step), checking (bytes), writing (bytes).
    pub fn backup_create_with_progress(
        &mut self,
        out: &Path,
        passphrase: &str,
        kdf: KdfParams,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<BackupHeader> {
        check_new_passphrase(passphrase)?;
        progress(Progress::new(ProgressPhase::Key, 0, 1));
        let key = kdf.derive(passphrase)?;
        progress(Progress::new(ProgressPhase::Key, 1, 1));
        let schema_version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| db::map(e, "read the store"))?;
        let tmp_db = sibling(out, ".db.partial");
        let tmp_out = sibling(out, ".partial");
        let result = (|| {
            progress(Progress::new(ProgressPhase::Copying, 0, 1));
            export_to(&self.conn, &tmp_db, &key, schema_version)?;
            progress(Progress::new(ProgressPhase::Copying, 1, 1));
            let (db_bytes, db_sha256) = sha256_file(&tmp_db, &mut *progress)?;
            let header = BackupHeader {
                format: 1,
                store_id: self.store_id.clone(),
                created_at: db::now_rfc3339(),
                schema_version,
                kdf,
                db_bytes,
                db_sha256,
            };
            let mut f = File::create(&tmp_out).map_err(|e| io_error(&tmp_out, &e))?;
            let head =
                serde_json::to_string(&header).map_err(|e| Error::internal(e.to_string()))?;
            let mut src = File::open(&tmp_db).map_err(|e| io_error(&tmp_db, &e))?;
            let mut bytes = ByteProgress::start(ProgressPhase::Writing, db_bytes, &mut *progress);
            writeln!(f, "{MAGIC}")
                .and_then(|()| writeln!(f, "{head}"))
                .and_then(|()| copy_reporting(&mut src, &mut f, &mut bytes).map(|_| ()))
                .and_then(|()| f.sync_all())
                .map_err(|e| io_error(&tmp_out, &e))?;
            std::fs::rename(&tmp_out, out).map_err(|e| io_error(out, &e))?;
            bytes.finish();
            Ok(header)
        })();
        remove_with_journals(&tmp_db);
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp_out);
        }
        let header = result?;
        let tx = self
            .conn
            .transaction()
            .map_err(|e| db::map(e, "record the backup"))?;
        crate::audit::append(
            &tx,
            &self.actor,
            "store.backup",
            "store",
            &self.store_id,
            &serde_json::json!({"bytes": header.db_bytes, "sha256": header.db_sha256}),
        )?;
        tx.commit().map_err(|e| db::map(e, "record the backup"))?;
        Ok(header)
    }
}

/// Reads and checks a backup's header and checksum.
pub fn backup_inspect(archive: &Path) -> Result<BackupHeader> {
    let f = File::open(archive).map_err(|e| io_error(archive, &e))?;
    let mut r = BufReader::new(f);
    let header = read_header(archive, &mut r)?;
    let mut h = Sha256::new();
    let n = std::io::copy(&mut r, &mut h).map_err(|e| io_error(archive, &e))?;
    if n != header.db_bytes {
        return Err(damaged(
            archive,
            &format!(
                "it holds {n} bytes of data where {} were written; it was cut short",
                header.db_bytes
            ),
        ));
    }
    if hex::encode(h.finalize()) != header.db_sha256 {
        return Err(damaged(
            archive,
            "its checksum does not match: it was changed or damaged",
        ));
    }
    Ok(header)
}

fn read_header(archive: &Path, r: &mut impl BufRead) -> Result<BackupHeader> {
    let mut line = String::new();
    r.take(64)
        .read_line(&mut line)
        .map_err(|e| io_error(archive, &e))?;
    if line.trim_end() != MAGIC {
        return Err(damaged(archive, "it does not start like a Mandate backup"));
    }
    line.clear();
    r.take(64 * 1024)
        .read_line(&mut line)
        .map_err(|e| io_error(archive, &e))?;
    let header: BackupHeader = serde_json::from_str(line.trim_end())
        .map_err(|_| damaged(archive, "its header is damaged"))?;
    if header.format != 1 {
        return Err(Error::new(
            ErrorCode::StoreTooNew,
            "This backup was made by a newer version of Mandate. Update Mandate to restore it.",
        ));
    }
    Ok(header)
}

/// Restores a backup into `dir`, which must not hold a store. The restored store
/// keeps the backup's store id and gets its key from `target`.
pub fn backup_restore(
    archive: &Path,
    passphrase: &str,
    dir: &Path,
    target: RestoreKey<'_>,
) -> Result<Store> {
    backup_restore_with(archive, passphrase, dir, target, KdfParams::recommended())
}

/// As [`backup_restore`], with the Argon2id parameters a restored passphrase store gets.
pub fn backup_restore_with(
    archive: &Path,
    passphrase: &str,
    dir: &Path,
    target: RestoreKey<'_>,
    new_kdf: KdfParams,
) -> Result<Store> {
    if dir.join(META_FILE).exists() || dir.join(DB_FILE).exists() {
        return Err(Error::new(
            ErrorCode::Invalid,
            format!(
                "{} already holds a store. Restore into an empty folder (--data-dir NEW_FOLDER); nothing was changed.",
                dir.display()
            ),
        ));
    }
    let header = backup_inspect(archive)?;
    if header.schema_version > migrate::LATEST_VERSION {
        return Err(Error::new(
            ErrorCode::StoreTooNew,
            "This backup holds a store from a newer version of Mandate. Update Mandate to restore it.",
        ));
    }
    let backup_key = header.kdf.derive(passphrase)?;
    if let RestoreKey::Passphrase(p) = &target {
        check_new_passphrase(p)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;

    // Unpack the database beside the target, then check it opens and is whole.
    let unpacked = dir.join("restore.db.partial");
    let restored = dir.join("restore.mandate.db.partial");
    let result = (|| {
        {
            let f = File::open(archive).map_err(|e| io_error(archive, &e))?;
            let mut r = BufReader::new(f);
            read_header(archive, &mut r)?;
            remove_with_journals(&unpacked);
            let mut out = File::create(&unpacked).map_err(|e| io_error(&unpacked, &e))?;
            std::io::copy(&mut r, &mut out)
                .and_then(|_| out.sync_all())
                .map_err(|e| io_error(&unpacked, &e))?;
        }
        let conn = db::open_encrypted(&unpacked, &backup_key).map_err(|e| {
            if e.code == ErrorCode::WrongKey {
                Error::new(ErrorCode::WrongPassphrase, "That passphrase does not open this backup. Use the passphrase given when the backup was made.")
            } else {
                e
            }
        })?;
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| db::map(e, "check the backup"))?;
        if check != "ok" {
            return Err(damaged(
                archive,
                &format!("its database fails the integrity check: {check}"),
            ));
        }

        let (key, meta) = match target {
            RestoreKey::Keyring(vault) => {
                let key = match vault.get(&header.store_id)? {
                    Some(k) => k,
                    None => {
                        let k = StoreKey::generate();
                        vault.put(&header.store_id, &k)?;
                        k
                    }
                };
                (
                    key,
                    StoreMeta {
                        format: META_FORMAT,
                        store_id: header.store_id.clone(),
                        key_source: KEY_SOURCE_KEYRING.into(),
                        kdf: None,
                        created_at: db::now_rfc3339(),
                    },
                )
            }
            RestoreKey::Passphrase(p) => {
                let kdf = new_kdf;
                let key = kdf.derive(p)?;
                (
                    key,
                    StoreMeta {
                        format: META_FORMAT,
                        store_id: header.store_id.clone(),
                        key_source: KEY_SOURCE_PASSPHRASE.into(),
                        kdf: Some(kdf),
                        created_at: db::now_rfc3339(),
                    },
                )
            }
        };
        export_to(&conn, &restored, &key, header.schema_version)?;
        drop(conn);
        // The database moves into place first, its store.json last: until both are
        // there the folder does not open as a store.
        std::fs::rename(&restored, dir.join(DB_FILE)).map_err(|e| io_error(dir, &e))?;
        write_meta(&dir.join(META_FILE), &meta)?;
        let mut store = Store::finish(dir, meta, &key)?;
        let tx = store
            .conn
            .transaction()
            .map_err(|e| db::map(e, "record the restore"))?;
        crate::audit::append(
            &tx,
            &store.actor,
            "store.restore",
            "store",
            &store.store_id,
            &serde_json::json!({"backup_created_at": header.created_at, "sha256": header.db_sha256}),
        )?;
        tx.commit().map_err(|e| db::map(e, "record the restore"))?;
        Ok(store)
    })();
    remove_with_journals(&unpacked);
    remove_with_journals(&restored);
    result
}
