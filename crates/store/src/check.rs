//! `mandate store check`: is the store whole? Run after a crash, a full disk or a
//! restore, it answers with SQLite's own integrity check, the audit chain, and how
//! many of each record the store holds.

use mandate_core::{AuditReport, Result};
use serde::Serialize;

use crate::{Store, db::Ctx};

#[derive(Debug, Clone, Serialize)]
pub struct StoreCheck {
    /// "ok", or what `PRAGMA integrity_check` found wrong.
    pub integrity: Vec<String>,
    pub audit: AuditReport,
    pub matters: i64,
    pub messages: i64,
    pub documents: i64,
}

impl StoreCheck {
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"] && self.audit.intact
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
            matters: count("matter")?,
            messages: count("message")?,
            documents: count("document")?,
        })
    }
}
