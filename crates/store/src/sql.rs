//! What every kind of record shares: small SQL helpers, and the one step each change
//! takes — its write and its audit record in one transaction, stamped with one time,
//! then the audit chain's head kept outside the database (`audit-head.json`).

use mandate_core::{Error, Result};
use rusqlite::{OptionalExtension, Row, Transaction};
use serde::{Serialize, de::DeserializeOwned};

use crate::db::Ctx;
use crate::{Store, audit};

pub(crate) fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising plain lists of strings and small structs cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Reads a JSON list column. The CHECK constraints keep these valid JSON arrays;
/// a row that still fails to parse is reported, never silently emptied.
pub(crate) fn json_column<T: DeserializeOwned>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// The page size for lists: 200 unless asked, never more than 1000.
pub(crate) fn page_limit(limit: Option<u32>) -> u32 {
    limit.unwrap_or(200).clamp(1, 1000)
}

/// Fails with NotFound (naming `what`) unless `table` holds a row with this id.
pub(crate) fn ensure_exists(
    tx: &rusqlite::Connection,
    table: &str,
    id: &str,
    missing: &str,
) -> Result<()> {
    let found: Option<i64> = tx
        .query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [id], |r| {
            r.get(0)
        })
        .optional()
        .ctx("check the records")?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::not_found(missing)),
    }
}

/// The names of the fields an edit changed, from (name, unchanged?) pairs, for the
/// audit record; none means there is nothing to write.
pub(crate) fn changed_names<'a>(checks: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<&'a str> {
    checks
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| name)
        .collect()
}

/// The audit record of one change: what was done to which record, and its detail.
pub(crate) struct Audited {
    pub action: &'static str,
    pub entity: &'static str,
    pub id: String,
    pub detail: serde_json::Value,
}

impl Store {
    /// Writes one change and its audit record in one transaction, both stamped
    /// `now` (the time `write` is given), then records the audit chain's head.
    /// `what` names the work in an error ("save the consent"). `write` returns what
    /// the caller wants back and the audit record, which may depend on what it read.
    pub(crate) fn write_audited<R>(
        &mut self,
        what: &str,
        write: impl FnOnce(&Transaction, &str) -> Result<(R, Audited)>,
    ) -> Result<R> {
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx(what)?;
        let (out, a) = write(&tx, &now)?;
        audit::append(&tx, &self.actor, &now, a.action, a.entity, &a.id, &a.detail)?;
        tx.commit().ctx(what)?;
        self.record_audit_head();
        Ok(out)
    }
}
