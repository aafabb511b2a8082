//! `mandate store check`: is the store whole? Run after a crash, a full disk or a
//! restore, it answers with SQLite's own integrity check, the audit chain, whether
//! every file has all its parts, and how many of each record the store holds.

use mandate_core::{AuditReport, Result};
use serde::Serialize;

use crate::{Store, db::Ctx};

#[derive(Debug, Clone, Serialize)]
pub struct StoreCheck {
    /// "ok", or what `PRAGMA integrity_check` found wrong.
    pub integrity: Vec<String>,
    pub audit: AuditReport,
    /// Files whose parts do not add up to them, and parts that belong to no file:
    /// empty when every file is whole.
    pub files: Vec<String>,
    pub matters: i64,
    pub messages: i64,
    pub documents: i64,
}

impl StoreCheck {
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"] && self.audit.intact && self.files.is_empty()
    }
}

impl Store {
    pub fn check(&self) -> Result<StoreCheck> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .ctx("check the store")?;
        let integrity = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .ctx("check the store")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("check the store")?;
        let count = |table: &str| -> Result<i64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
                .ctx("count the records")
        };
        Ok(StoreCheck {
            integrity,
            audit: self.audit_verify()?,
            files: self.check_files()?,
            matters: count("matter")?,
            messages: count("message")?,
            documents: count("document")?,
        })
    }

    /// Sizes and part numbers only (SQLite reads a value's length without its
    /// pages), so this stays quick on a store of many large files; the bytes
    /// themselves are checked against their SHA-256 whenever a file is read.
    fn check_files(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT b.sha256, b.size, coalesce(sum(length(p.data)), 0), count(p.n), coalesce(max(p.n), -1)
                 FROM blob b LEFT JOIN blob_part p ON p.parts = b.parts
                 GROUP BY b.sha256
                 HAVING b.size != coalesce(sum(length(p.data)), 0) OR count(p.n) != coalesce(max(p.n), -1) + 1",
            )
            .ctx("check the files")?;
        let mut rows = stmt.query([]).ctx("check the files")?;
        while let Some(r) = rows.next().ctx("check the files")? {
            let (sha, size, held): (String, i64, i64) = (
                r.get(0).ctx("check")?,
                r.get(1).ctx("check")?,
                r.get(2).ctx("check")?,
            );
            problems.push(format!(
                "the file {}… holds {held} of its {size} bytes: restore the store from a backup",
                &sha[..12.min(sha.len())]
            ));
        }
        let stray: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM blob_part
                 WHERE parts NOT IN (SELECT parts FROM blob WHERE parts IS NOT NULL)
                   AND parts NOT IN (SELECT parts FROM incoming_file)",
                [],
                |r| r.get(0),
            )
            .ctx("check the files")?;
        if stray > 0 {
            problems.push(format!(
                "{stray} file parts belong to no file (space only; nothing is lost)"
            ));
        }
        Ok(problems)
    }
}
