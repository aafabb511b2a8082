//! Backups: one file that holds the whole store, encrypted with a key derived from a
//! backup passphrase (Argon2id), so it can be restored on another machine that has
//! neither the keyring entry nor the store passphrase.
//!
//! Layout of a backup file (format 2):
//!
//! ```text
//! MANDATE-BACKUP 2\n
//! {"format":2,"store_id":…,"created_at":…,"schema_version":N,"kdf":{…},"db_bytes":N,
//!  "db_sha256":"…","key_check":"…","calendars":["…"]}\n
//! <db_bytes bytes: a SQLCipher database keyed with the backup's database key>
//! <32 bytes: HMAC-SHA256 over every byte before it>
//! ```
//!
//! Keys: Argon2id turns the passphrase (with the header's costs and salt) into 32
//! bytes; HKDF-SHA256 expands those into three independent values — the database
//! key, the MAC key and a short passphrase check. The MAC authenticates the header
//! and the database together, so nothing in the header (store id, dates, costs, the
//! checksum itself) can be altered without the passphrase. The check value in the
//! header only tells a wrong passphrase apart from an altered file; the MAC decides
//! whether the file is whole. Without the passphrase a backup can only be compared
//! with its own SHA-256, which catches damage but not tampering: `backup_inspect`
//! then reports the header as unverified.
//!
//! The Argon2id costs come from the file, so they are capped ([`MAX_KDF_M_COST`],
//! [`MAX_KDF_T_COST`], [`MAX_KDF_P_COST`]) and checked before anything is derived:
//! a file cannot make Mandate allocate gigabytes or spin for hours.
//!
//! Firm holiday calendars (`calendars/*.toml` in the store folder) travel inside the
//! encrypted database, in a table (`mandate_backup_file`) that exists only in the
//! backup; a restore writes them back and drops the table.
//!
//! Format 1 (Mandate before the MAC) is still read: its header is unauthenticated,
//! so `backup_inspect` never reports it as verified; its database is keyed with the
//! Argon2id output itself and checked by SQLCipher's page MACs on restore.
//!
//! A backup is written beside its destination and renamed into place, so an
//! interrupted backup never replaces a good one. A restore is built in a new folder
//! beside the target and renamed into place at the very end, so a failed restore
//! leaves the target folder as it was.
//!
//! Progress is reported by phase: deriving the key and copying the store are one
//! step each (`sqlcipher_export` is a single call that reports nothing), checking
//! and writing report bytes.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use mandate_core::{Error, ErrorCode, Progress, ProgressPhase, Result};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::unlock::{KdfParams, check_new_passphrase};
use crate::{
    DB_FILE, KEY_SOURCE_KEYRING, KEY_SOURCE_PASSPHRASE, KeyVault, META_FILE, META_FORMAT, Store,
    StoreKey, StoreMeta, db, io_error, migrate, write_meta,
};

type HmacSha256 = Hmac<Sha256>;

/// The format this version writes.
const FORMAT: u32 = 2;
/// The first format, still read (no MAC).
const FORMAT_V1: u32 = 1;
const MAGIC_PREFIX: &str = "MANDATE-BACKUP ";
/// Length of the MAC at the end of a format 2 file.
const TAG_LEN: usize = 32;
/// Length of the passphrase check in the header, in bytes (hex in the file).
const CHECK_LEN: usize = 16;
/// HKDF `info` strings: one per key, so no two uses share a key.
const INFO_DB_KEY: &[u8] = b"mandate backup 2: database key";
const INFO_MAC_KEY: &[u8] = b"mandate backup 2: header and database MAC key";
const INFO_CHECK: &[u8] = b"mandate backup 2: passphrase check";

/// The most memory (KiB) a backup file may ask Argon2id for: 1 GiB.
pub const MAX_KDF_M_COST: u32 = 1_048_576;
/// The most Argon2id passes a backup file may ask for.
pub const MAX_KDF_T_COST: u32 = 16;
/// The most Argon2id lanes a backup file may ask for.
pub const MAX_KDF_P_COST: u32 = 8;

/// The folder of firm calendars inside a store folder (read by `deadlines.rs`).
const CALENDAR_DIR: &str = "calendars";
/// The table, in a backup's database only, that carries the firm calendars.
const FILE_TABLE: &str = "mandate_backup_file";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    pub store_id: String,
    pub created_at: String,
    /// The schema version of the store when it was backed up. Informational: a
    /// restore reads the version from the backup's own database.
    pub schema_version: i64,
    pub kdf: KdfParams,
    pub db_bytes: u64,
    /// SHA-256 of the encrypted database part.
    pub db_sha256: String,
    /// Format 2: a value derived from the passphrase, so a wrong passphrase is told
    /// apart from an altered file. Hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_check: Option<String>,
    /// Format 2: the firm calendar files (`calendars/NAME.toml`) the backup holds.
    #[serde(default)]
    pub calendars: Vec<String>,
    /// The audit chain's newest record in the copy, authenticated with the rest of
    /// the header: a restore checks the copy's chain reaches it, and the restored
    /// store keeps it outside its database (`audit-head.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<crate::AuditHead>,
}

/// What [`backup_inspect`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupInfo {
    #[serde(flatten)]
    pub header: BackupHeader,
    /// True only when the backup passphrase was given and the MAC over the header
    /// and the database matched. Otherwise the database matched the SHA-256 in the
    /// header, but the header itself could have been altered.
    pub verified: bool,
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

fn wrong_backup_passphrase() -> Error {
    Error::new(
        ErrorCode::WrongPassphrase,
        "That passphrase does not open this backup. Use the passphrase given when the backup was made.",
    )
}

/// Why Argon2id settings are not acceptable for a backup, if they are not: costs
/// above the caps, or settings Argon2id itself would refuse.
fn kdf_problem(kdf: &KdfParams) -> Option<String> {
    if kdf.algorithm != "argon2id" {
        return Some(format!(
            "it uses the key derivation \"{}\", which this version of Mandate does not know",
            kdf.algorithm
        ));
    }
    if kdf.m_cost > MAX_KDF_M_COST {
        return Some(format!(
            "it asks for {} KiB of memory to derive its key; Mandate allows at most {MAX_KDF_M_COST} KiB (1 GiB)",
            kdf.m_cost
        ));
    }
    if kdf.t_cost > MAX_KDF_T_COST {
        return Some(format!(
            "it asks for {} Argon2id passes to derive its key; Mandate allows at most {MAX_KDF_T_COST}",
            kdf.t_cost
        ));
    }
    if kdf.p_cost > MAX_KDF_P_COST {
        return Some(format!(
            "it asks for {} Argon2id lanes to derive its key; Mandate allows at most {MAX_KDF_P_COST}",
            kdf.p_cost
        ));
    }
    if kdf.t_cost == 0 || kdf.p_cost == 0 || u64::from(kdf.m_cost) < 8 * u64::from(kdf.p_cost) {
        return Some("its key-derivation settings are invalid".into());
    }
    match hex::decode(&kdf.salt) {
        Ok(salt) if (8..=64).contains(&salt.len()) => None,
        _ => Some("its key-derivation salt is damaged".into()),
    }
}

/// The keys one backup passphrase yields.
struct BackupKeys {
    /// Keys the SQLCipher database inside the backup.
    db: StoreKey,
    /// Format 2: keys the MAC over the header and the database.
    mac: Option<Zeroizing<[u8; 32]>>,
    /// Format 2: the passphrase check, hex.
    check: Option<String>,
}

impl BackupKeys {
    /// Runs Argon2id with `kdf` (whose costs the caller has checked), then, for
    /// format 2, HKDF-SHA256 to split the output into independent keys.
    fn derive(format: u32, kdf: &KdfParams, passphrase: &str) -> Result<Self> {
        let root = kdf.derive(passphrase)?;
        if format == FORMAT_V1 {
            return Ok(Self {
                db: root,
                mac: None,
                check: None,
            });
        }
        let ikm = Zeroizing::new(
            hex::decode(root.hex().as_str()).map_err(|e| Error::internal(e.to_string()))?,
        );
        let hk = hkdf::Hkdf::<Sha256>::new(None, &ikm);
        let expand = |info: &[u8], out: &mut [u8]| {
            hk.expand(info, out)
                .map_err(|e| Error::internal(format!("key expansion failed: {e}")))
        };
        let mut db = Zeroizing::new([0u8; 32]);
        expand(INFO_DB_KEY, db.as_mut())?;
        let mut mac = Zeroizing::new([0u8; 32]);
        expand(INFO_MAC_KEY, mac.as_mut())?;
        let mut check = [0u8; CHECK_LEN];
        expand(INFO_CHECK, &mut check)?;
        Ok(Self {
            db: StoreKey::from_bytes(db),
            mac: Some(mac),
            check: Some(hex::encode(check)),
        })
    }

    fn hmac(&self) -> Option<HmacSha256> {
        self.mac.as_ref().map(|k| {
            <HmacSha256 as Mac>::new_from_slice(k.as_ref()).expect("HMAC takes any key length")
        })
    }
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

/// Exports the database `conn` reads into a new file at `to`, keyed with `key`,
/// with `files` (name, bytes) in the backup-only file table when there are any.
fn export_to(
    conn: &rusqlite::Connection,
    to: &Path,
    key: &StoreKey,
    schema_version: i64,
    files: &[(String, Vec<u8>)],
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
        .and_then(|()| conn.pragma_update(Some("export"), "user_version", schema_version))
        .and_then(|()| {
            if files.is_empty() {
                return Ok(());
            }
            conn.execute_batch(&format!(
                "CREATE TABLE export.{FILE_TABLE} (name TEXT PRIMARY KEY, bytes BLOB NOT NULL)"
            ))?;
            let mut insert = conn.prepare(&format!(
                "INSERT INTO export.{FILE_TABLE} (name, bytes) VALUES (?1, ?2)"
            ))?;
            for (name, bytes) in files {
                insert.execute(params![name, bytes])?;
            }
            Ok(())
        });
    let detached = conn.execute_batch("DETACH DATABASE export");
    copied.map_err(|e| db::map(e, "copy the store"))?;
    detached.map_err(|e| db::map(e, "finish the copy"))
}

/// Whether `name` is a firm calendar file a backup may carry and a restore may
/// write: `calendars/NAME.toml`, with a plain file name.
fn calendar_name_ok(name: &str) -> bool {
    let Some(file) = name.strip_prefix("calendars/") else {
        return false;
    };
    !file.is_empty()
        && file.len() <= 255
        && file.ends_with(".toml")
        && !file.contains(['/', '\\', '\0'])
}

/// The firm calendar files in `dir/calendars` that the deadline code reads (every
/// `*.toml` file), sorted by name, as (`calendars/NAME.toml`, bytes).
fn read_calendars(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let cal_dir = dir.join(CALENDAR_DIR);
    if !cal_dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&cal_dir).map_err(|e| io_error(&cal_dir, &e))? {
        let path = entry.map_err(|e| io_error(&cal_dir, &e))?.path();
        if path.extension().is_none_or(|x| x != "toml") || !path.is_file() {
            continue;
        }
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| format!("{CALENDAR_DIR}/{n}"))
            .filter(|n| calendar_name_ok(n))
        else {
            return Err(Error::new(
                ErrorCode::Invalid,
                format!(
                    "The calendar file {} has a name Mandate cannot back up. Rename it (letters, digits, dashes, ending in .toml) and try again.",
                    path.display()
                ),
            ));
        };
        let bytes = std::fs::read(&path).map_err(|e| io_error(&path, &e))?;
        files.push((name, bytes));
    }
    files.sort();
    Ok(files)
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

/// Writes to a file and feeds the same bytes to a MAC.
struct MacWriter<'a> {
    file: &'a mut File,
    mac: &'a mut HmacSha256,
}

impl Write for MacWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.mac.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
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
        // Never write a backup that a restore would refuse to read.
        if let Some(why) = kdf_problem(&kdf) {
            return Err(Error::invalid(
                "kdf",
                format!("These key-derivation settings cannot be used for a backup: {why}."),
            ));
        }
        let calendars = read_calendars(&self.dir)?;
        // Read before the copy; the store is held (&mut self), so nothing is added between.
        let audit_head = self.audit_head()?;
        progress(Progress::new(ProgressPhase::Key, 0, 1));
        let keys = BackupKeys::derive(FORMAT, &kdf, passphrase)?;
        let mut mac = keys.hmac().ok_or_else(|| Error::internal("no MAC key"))?;
        progress(Progress::new(ProgressPhase::Key, 1, 1));
        let schema_version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| db::map(e, "read the store"))?;
        let tmp_db = sibling(out, ".db.partial");
        let tmp_out = sibling(out, ".partial");
        let result = (|| {
            progress(Progress::new(ProgressPhase::Copying, 0, 1));
            export_to(&self.conn, &tmp_db, &keys.db, schema_version, &calendars)?;
            progress(Progress::new(ProgressPhase::Copying, 1, 1));
            let (db_bytes, db_sha256) = sha256_file(&tmp_db, &mut *progress)?;
            let header = BackupHeader {
                format: FORMAT,
                store_id: self.store_id.clone(),
                created_at: self.clock.stamp(),
                schema_version,
                kdf,
                db_bytes,
                db_sha256,
                key_check: keys.check.clone(),
                calendars: calendars.iter().map(|(n, _)| n.clone()).collect(),
                audit_head: audit_head.clone(),
            };
            // Only its owner may read the backup (0600), as the store itself; a copy
            // left by a failed run is replaced.
            let _ = std::fs::remove_file(&tmp_out);
            let mut f =
                crate::export::create_private(&tmp_out).map_err(|e| io_error(&tmp_out, &e))?;
            let head =
                serde_json::to_string(&header).map_err(|e| Error::internal(e.to_string()))?;
            let mut src = File::open(&tmp_db).map_err(|e| io_error(&tmp_db, &e))?;
            let mut bytes = ByteProgress::start(ProgressPhase::Writing, db_bytes, &mut *progress);
            // Everything before the tag goes through the MAC, exactly as written.
            let mut w = MacWriter {
                file: &mut f,
                mac: &mut mac,
            };
            writeln!(w, "{MAGIC_PREFIX}{FORMAT}")
                .and_then(|()| writeln!(w, "{head}"))
                .and_then(|()| copy_reporting(&mut src, &mut w, &mut bytes).map(|_| ()))
                .map_err(|e| io_error(&tmp_out, &e))?;
            let tag = mac.finalize().into_bytes();
            f.write_all(&tag)
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
            &self.clock.stamp(),
            "store.backup",
            "store",
            &self.store_id,
            &serde_json::json!({"bytes": header.db_bytes, "sha256": header.db_sha256}),
        )?;
        tx.commit().map_err(|e| db::map(e, "record the backup"))?;
        self.record_audit_head();
        Ok(header)
    }
}

/// A backup file opened and its header read (and its Argon2id costs checked).
struct OpenedBackup {
    reader: BufReader<File>,
    header: BackupHeader,
    /// The magic and header lines exactly as they are in the file (the MAC covers them).
    prefix: Vec<u8>,
}

fn open_backup(archive: &Path) -> Result<OpenedBackup> {
    let f = File::open(archive).map_err(|e| io_error(archive, &e))?;
    let mut reader = BufReader::new(f);
    let mut prefix = Vec::new();
    (&mut reader)
        .take(64)
        .read_until(b'\n', &mut prefix)
        .map_err(|e| io_error(archive, &e))?;
    let magic = std::str::from_utf8(&prefix).unwrap_or("");
    let format: u32 = magic
        .strip_suffix('\n')
        .and_then(|m| m.strip_prefix(MAGIC_PREFIX))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| damaged(archive, "it does not start like a Mandate backup"))?;
    if format > FORMAT {
        return Err(Error::new(
            ErrorCode::StoreTooNew,
            "This backup was made by a newer version of Mandate. Update Mandate to restore it.",
        ));
    }
    if format != FORMAT && format != FORMAT_V1 {
        return Err(damaged(archive, "it does not start like a Mandate backup"));
    }
    let start = prefix.len();
    (&mut reader)
        .take(64 * 1024)
        .read_until(b'\n', &mut prefix)
        .map_err(|e| io_error(archive, &e))?;
    let header: BackupHeader = std::str::from_utf8(&prefix[start..])
        .ok()
        .and_then(|line| serde_json::from_str(line.trim_end()).ok())
        .ok_or_else(|| damaged(archive, "its header is damaged"))?;
    if header.format != format {
        return Err(damaged(archive, "its header is damaged"));
    }
    if format == FORMAT && header.key_check.is_none() {
        return Err(damaged(archive, "its header is damaged"));
    }
    if let Some(why) = kdf_problem(&header.kdf) {
        return Err(damaged(archive, &why));
    }
    Ok(OpenedBackup {
        reader,
        header,
        prefix,
    })
}

impl OpenedBackup {
    /// Derives the backup's keys from `passphrase` and checks the passphrase against
    /// the header (format 2; a format 1 file shows a wrong passphrase only when its
    /// database is opened).
    fn keys(&self, passphrase: &str) -> Result<BackupKeys> {
        let keys = BackupKeys::derive(self.header.format, &self.header.kdf, passphrase)?;
        if let (Some(want), Some(got)) = (&self.header.key_check, &keys.check) {
            let (want, got) = (want.as_bytes(), got.as_bytes());
            // Compared in full whatever the first difference; cheap to do.
            let same = want.len() == got.len()
                && want.iter().zip(got).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
            if !same {
                return Err(wrong_backup_passphrase());
            }
        }
        Ok(keys)
    }

    /// Reads the database part into `sink` and checks the file: its length, the
    /// SHA-256 in the header and, when `keys` are given (format 2), the MAC over
    /// the header and the database. Returns whether the MAC was checked.
    fn read_body(
        &mut self,
        archive: &Path,
        (sink, sink_path): (&mut dyn Write, &Path),
        keys: Option<&BackupKeys>,
    ) -> Result<bool> {
        let mut mac = keys.and_then(BackupKeys::hmac);
        if let Some(m) = &mut mac {
            m.update(&self.prefix);
        }
        let mut sha = Sha256::new();
        let mut body = (&mut self.reader).take(self.header.db_bytes);
        let mut buf = vec![0u8; 1 << 20];
        let mut n = 0u64;
        loop {
            let got = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(got) => got,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(archive, &e)),
            };
            let piece = &buf[..got];
            sha.update(piece);
            if let Some(m) = &mut mac {
                m.update(piece);
            }
            sink.write_all(piece).map_err(|e| io_error(sink_path, &e))?;
            n += got as u64;
        }
        let tag_len = if self.header.format == FORMAT {
            TAG_LEN
        } else {
            0
        };
        let mut tag = Vec::with_capacity(tag_len + 1);
        (&mut self.reader)
            .take(tag_len as u64 + 1)
            .read_to_end(&mut tag)
            .map_err(|e| io_error(archive, &e))?;
        if n < self.header.db_bytes || tag.len() < tag_len {
            return Err(damaged(
                archive,
                &format!(
                    "it holds {n} bytes of data where {} were written; it was cut short",
                    self.header.db_bytes
                ),
            ));
        }
        if tag.len() > tag_len {
            return Err(damaged(
                archive,
                "it goes on after its end: something was added to it",
            ));
        }
        if hex::encode(sha.finalize()) != self.header.db_sha256 {
            return Err(damaged(
                archive,
                "its checksum does not match: it was changed or damaged",
            ));
        }
        match mac {
            Some(m) => {
                m.verify_slice(&tag).map_err(|_| {
                    damaged(
                        archive,
                        "its header or its data were altered: the MAC does not match",
                    )
                })?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// Reads and checks a backup. Without the passphrase: its header, its length and
/// the SHA-256 of its database, which catch damage but not deliberate changes (the
/// result says `verified: false`). With it: also the MAC over the header and the
/// database (`verified: true`), or an error if either was altered. A format 1
/// backup has no MAC and is never `verified`.
pub fn backup_inspect(archive: &Path, passphrase: Option<&str>) -> Result<BackupInfo> {
    let mut opened = open_backup(archive)?;
    let keys = match passphrase {
        Some(p) if opened.header.format == FORMAT => Some(opened.keys(p)?),
        _ => None,
    };
    let verified = opened.read_body(archive, (&mut std::io::sink(), archive), keys.as_ref())?;
    Ok(BackupInfo {
        header: opened.header,
        verified,
    })
}

/// Restores a backup into `dir`, which must be empty or not exist yet. The
/// restored store keeps the backup's store id and gets its key from `target`.
pub fn backup_restore(
    archive: &Path,
    passphrase: &str,
    dir: &Path,
    target: RestoreKey<'_>,
) -> Result<Store> {
    backup_restore_with(archive, passphrase, dir, target, KdfParams::recommended())
}

/// The folder the restore is built in: beside `dir`, so the last step is a rename
/// within one file system.
fn staging_dir(dir: &Path) -> Result<PathBuf> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..")
        .ok_or_else(|| {
            Error::invalid(
                "data_dir",
                format!(
                    "Name the folder to restore into ({} is not one).",
                    dir.display()
                ),
            )
        })?;
    Ok(dir.with_file_name(format!(".{name}.restore-{}.partial", uuid::Uuid::new_v4())))
}

/// Whether `dir` is missing, or an empty folder; an error when it holds a store
/// or anything else, so nothing of it is ever replaced.
fn check_restore_target(dir: &Path) -> Result<()> {
    if dir.join(META_FILE).exists() || dir.join(DB_FILE).exists() {
        return Err(Error::new(
            ErrorCode::Invalid,
            format!(
                "{} already holds a store. Restore into an empty folder (--data-dir NEW_FOLDER); nothing was changed.",
                dir.display()
            ),
        ));
    }
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::new(
                    ErrorCode::Invalid,
                    format!(
                        "{} is not empty. Restore into an empty or new folder (--data-dir NEW_FOLDER); nothing was changed.",
                        dir.display()
                    ),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(dir, &e)),
    }
}

/// Moves the finished `staging` folder to `dir` (missing or empty).
fn move_into_place(staging: &Path, dir: &Path) -> Result<()> {
    match std::fs::rename(staging, dir) {
        Ok(()) => {}
        // Where a rename cannot replace an empty folder (Windows), the empty folder
        // goes first; if the rename still fails it is made again.
        Err(e) if dir.is_dir() => {
            std::fs::remove_dir(dir).map_err(|_| io_error(dir, &e))?;
            if let Err(e) = std::fs::rename(staging, dir) {
                let _ = std::fs::create_dir(dir);
                return Err(io_error(dir, &e));
            }
        }
        Err(e) => return Err(io_error(dir, &e)),
    }
    // Make the rename durable (best effort: not every system can sync a folder).
    if let Some(parent) = dir.parent()
        && let Ok(p) = File::open(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
    {
        let _ = p.sync_all();
    }
    Ok(())
}

/// As [`backup_restore`], with the Argon2id parameters a restored passphrase store gets.
///
/// Nothing is written into `dir` until the restore is complete: the store is built
/// in a new folder beside it (database, calendars, `store.json`, the restore's audit
/// record), and that folder is renamed to `dir` as the last step. A restore that
/// fails (wrong passphrase, altered or cut file, full disk, …) leaves `dir` as it
/// was, so it can simply be tried again.
pub fn backup_restore_with(
    archive: &Path,
    passphrase: &str,
    dir: &Path,
    target: RestoreKey<'_>,
    new_kdf: KdfParams,
) -> Result<Store> {
    check_restore_target(dir)?;
    if let RestoreKey::Passphrase(p) = &target {
        check_new_passphrase(p)?;
    }
    let mut opened = open_backup(archive)?;
    let keys = opened.keys(passphrase)?;
    let header = opened.header.clone();

    // A target that is a link to an empty folder is replaced where it points, and
    // the new folder is made beside that, on the same file system.
    let real_dir = if dir.exists() {
        dir.canonicalize().map_err(|e| io_error(dir, &e))?
    } else {
        dir.to_path_buf()
    };
    let staging = staging_dir(&real_dir)?;
    if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, &e))?;
    }
    crate::export::create_private_dir(&staging).map_err(|e| io_error(&staging, &e))?;
    let result = (|| {
        let mut put_into: Option<&dyn KeyVault> = None;
        // Unpack and check the whole file before anything is opened.
        let unpacked = staging.join("restore.db.partial");
        {
            let mut out =
                crate::export::create_private(&unpacked).map_err(|e| io_error(&unpacked, &e))?;
            opened.read_body(archive, (&mut out, &unpacked), Some(&keys))?;
            out.sync_all().map_err(|e| io_error(&unpacked, &e))?;
        }
        let conn = db::open_encrypted(&unpacked, &keys.db).map_err(|e| {
            if e.code == ErrorCode::WrongKey {
                wrong_backup_passphrase()
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
        // The schema version is the database's own, not the header's.
        let schema_version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| db::map(e, "check the backup"))?;
        if schema_version > migrate::LATEST_VERSION {
            return Err(Error::new(
                ErrorCode::StoreTooNew,
                "This backup holds a store from a newer version of Mandate. Update Mandate to restore it.",
            ));
        }
        let files = take_backup_files(&conn, archive)?;

        let (key, meta) = match &target {
            RestoreKey::Keyring(vault) => {
                let key = match vault.get(&header.store_id)? {
                    Some(k) => k,
                    None => {
                        // Put in the keyring only once the folder is ready.
                        put_into = Some(*vault);
                        StoreKey::generate()
                    }
                };
                (
                    key,
                    StoreMeta {
                        format: META_FORMAT,
                        store_id: header.store_id.clone(),
                        key_source: KEY_SOURCE_KEYRING.into(),
                        kdf: None,
                        // Restoring makes a store: the machine's clock.
                        created_at: mandate_core::dates::format_instant(jiff::Timestamp::now()),
                    },
                )
            }
            RestoreKey::Passphrase(p) => {
                let kdf = new_kdf.clone();
                let key = kdf.derive(p)?;
                (
                    key,
                    StoreMeta {
                        format: META_FORMAT,
                        store_id: header.store_id.clone(),
                        key_source: KEY_SOURCE_PASSPHRASE.into(),
                        kdf: Some(kdf),
                        // Restoring makes a store: the machine's clock.
                        created_at: mandate_core::dates::format_instant(jiff::Timestamp::now()),
                    },
                )
            }
        };
        export_to(&conn, &staging.join(DB_FILE), &key, schema_version, &[])?;
        drop(conn);
        remove_with_journals(&unpacked);
        write_calendars(&staging, &files)?;
        write_meta(&staging.join(META_FILE), &meta)?;
        {
            // Open once here, so migrations run and the restore is recorded before
            // the folder is moved into place.
            let mut store = Store::finish(&staging, meta.clone(), &key)?;
            if let Some(head) = &header.audit_head
                && store.audit_head()?.is_none_or(|h| h.seq < head.seq)
            {
                return Err(damaged(
                    archive,
                    "its history ends before the record its header names",
                ));
            }
            let tx = store
                .conn
                .transaction()
                .map_err(|e| db::map(e, "record the restore"))?;
            crate::audit::append(
                &tx,
                &store.actor,
                &store.clock.stamp(),
                "store.restore",
                "store",
                &store.store_id,
                &serde_json::json!({
                    "backup_created_at": header.created_at,
                    "sha256": header.db_sha256,
                    "calendars": header.calendars,
                }),
            )?;
            tx.commit().map_err(|e| db::map(e, "record the restore"))?;
            store.record_audit_head();
        }
        if let Some(vault) = put_into {
            vault.put(&header.store_id, &key)?;
        }
        move_into_place(&staging, &real_dir)?;
        Store::finish(dir, meta, &key)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Reads the firm calendars out of a backup's database and drops their table, so
/// the restored store holds only its own tables.
fn take_backup_files(
    conn: &rusqlite::Connection,
    archive: &Path,
) -> Result<Vec<(String, Vec<u8>)>> {
    let present: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [FILE_TABLE],
            |r| r.get(0),
        )
        .map_err(|e| db::map(e, "read the backup"))?;
    if !present {
        return Ok(Vec::new());
    }
    let files: Vec<(String, Vec<u8>)> = conn
        .prepare(&format!(
            "SELECT name, bytes FROM {FILE_TABLE} ORDER BY name"
        ))
        .and_then(|mut stmt| {
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(|e| db::map(e, "read the backup"))?;
    if let Some((bad, _)) = files.iter().find(|(n, _)| !calendar_name_ok(n)) {
        return Err(damaged(
            archive,
            &format!("it holds a file Mandate does not restore: {bad:?}"),
        ));
    }
    conn.execute_batch(&format!("DROP TABLE {FILE_TABLE}"))
        .map_err(|e| db::map(e, "read the backup"))?;
    Ok(files)
}

/// Writes restored calendar files (names already checked) under `dir`.
fn write_calendars(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let cal_dir = dir.join(CALENDAR_DIR);
    crate::export::create_private_dir(&cal_dir).map_err(|e| io_error(&cal_dir, &e))?;
    for (name, bytes) in files {
        let path = dir.join(name);
        let mut f = crate::export::create_private(&path).map_err(|e| io_error(&path, &e))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .map_err(|e| io_error(&path, &e))?;
    }
    Ok(())
}

/// For tests: rewrites a format 2 backup's header with `edit` and signs the result
/// again with `passphrase`, as someone who knows the passphrase could.
#[cfg(test)]
pub(crate) fn resign_for_tests(
    archive: &Path,
    passphrase: &str,
    edit: impl FnOnce(&mut serde_json::Value),
) {
    let bytes = std::fs::read(archive).unwrap();
    let magic_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    let head_end = magic_end + bytes[magic_end..].iter().position(|&b| b == b'\n').unwrap() + 1;
    let header: BackupHeader = serde_json::from_slice(&bytes[magic_end..head_end]).unwrap();
    let body = &bytes[head_end..bytes.len() - TAG_LEN];
    let keys = BackupKeys::derive(FORMAT, &header.kdf, passphrase).unwrap();
    let mut json = serde_json::to_value(&header).unwrap();
    edit(&mut json);
    let mut out = bytes[..magic_end].to_vec();
    out.extend(serde_json::to_vec(&json).unwrap());
    out.push(b'\n');
    out.extend(body);
    let mut mac = keys.hmac().unwrap();
    mac.update(&out);
    out.extend(mac.finalize().into_bytes());
    std::fs::write(archive, out).unwrap();
}

/// For tests: writes a backup in format 1, as Mandate did before the MAC.
#[cfg(test)]
pub(crate) fn write_v1_for_tests(store: &Store, out: &Path, passphrase: &str, kdf: KdfParams) {
    let keys = BackupKeys::derive(FORMAT_V1, &kdf, passphrase).unwrap();
    let schema_version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let tmp_db = sibling(out, ".db.partial");
    export_to(&store.conn, &tmp_db, &keys.db, schema_version, &[]).unwrap();
    let body = std::fs::read(&tmp_db).unwrap();
    remove_with_journals(&tmp_db);
    let header = serde_json::json!({
        "format": 1,
        "store_id": store.store_id,
        "created_at": store.clock.stamp(),
        "schema_version": schema_version,
        "kdf": kdf,
        "db_bytes": body.len(),
        "db_sha256": hex::encode(Sha256::digest(&body)),
    });
    let mut bytes = format!("{MAGIC_PREFIX}{FORMAT_V1}\n{header}\n").into_bytes();
    bytes.extend(body);
    std::fs::write(out, bytes).unwrap();
}
