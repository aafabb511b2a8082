//! The audit chain: who did what, and when, in an append-only, hash-chained log.
//!
//! Each record's hash covers its own fields and the previous record's hash, so
//! changing or removing any record breaks every link after it. `verify` walks the
//! chain and names the first broken link.

use mandate_core::{AuditRecord, AuditReport, Result};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::{Store, db::Ctx};

/// The hash the first record points back to.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `fields` are at, actor, action, entity, entity_id and detail, in that order.
fn link_hash(prev: &str, seq: i64, fields: [&str; 6]) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    // Unit separators keep ("ab","c") and ("a","bc") from hashing alike.
    for part in [prev, seq.as_str()].into_iter().chain(fields) {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Appends a record inside the caller's transaction, so the change and its
/// record are written together or not at all.
pub(crate) fn append(
    tx: &Transaction<'_>,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    let (prev_seq, prev_hash): (i64, String) = tx
        .query_row(
            "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .ctx("read the audit log")?
        .unwrap_or((0, GENESIS.to_owned()));
    let seq = prev_seq + 1;
    let at = crate::db::now_rfc3339();
    let detail = detail.to_string();
    let hash = link_hash(
        &prev_hash,
        seq,
        [&at, actor, action, entity, entity_id, &detail],
    );
    tx.execute(
        "INSERT INTO audit (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
        ],
    )
    .ctx("write the audit log")?;
    Ok(())
}

/// Most records a matter's history returns (the newest).
pub const HISTORY_MAX: u32 = 1_000;

impl Store {
    /// Walks the whole chain and reports the first broken link, if any.
    pub fn audit_verify(&self) -> Result<AuditReport> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit ORDER BY seq")
            .ctx("read the audit log")?;
        let mut rows = stmt.query([]).ctx("read the audit log")?;
        let mut expected_prev = GENESIS.to_owned();
        let mut expected_seq = 1;
        let mut records = 0;
        while let Some(r) = rows.next().ctx("read the audit log")? {
            let seq: i64 = r.get(0).ctx("read the audit log")?;
            let f = |i| r.get::<_, String>(i);
            let (at, actor, action, entity, entity_id, detail, prev, hash) = (|| {
                Ok::<_, rusqlite::Error>((f(1)?, f(2)?, f(3)?, f(4)?, f(5)?, f(6)?, f(7)?, f(8)?))
            })()
            .ctx("read the audit log")?;
            records += 1;
            let recomputed = link_hash(
                &prev,
                seq,
                [&at, &actor, &action, &entity, &entity_id, &detail],
            );
            if seq != expected_seq || prev != expected_prev || hash != recomputed {
                return Ok(AuditReport {
                    records,
                    intact: false,
                    first_broken: Some(seq),
                });
            }
            expected_prev = hash;
            expected_seq += 1;
        }
        Ok(AuditReport {
            records,
            intact: true,
            first_broken: None,
        })
    }

    /// The history of one item, oldest first.
    pub fn audit_history(&self, entity: &str, entity_id: &str) -> Result<Vec<AuditRecord>> {
        self.audit_query(
            "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq",
            params![entity, entity_id],
        )
    }

    /// A matter's history, oldest first: the matter's own records and those of
    /// everything on it (parties, consents, work orders, deadlines, messages,
    /// documents, reviews, disclosures), which name the matter in their detail. At
    /// most the newest [`HISTORY_MAX`], through the `audit_matter` index.
    pub fn matter_history(&self, matter_id: &str) -> Result<Vec<AuditRecord>> {
        let mut newest = self.audit_query(
            "SELECT seq, at, actor, action, entity, entity_id, detail FROM audit
             WHERE matter_id = ?1 ORDER BY seq DESC LIMIT ?2",
            params![matter_id, HISTORY_MAX],
        )?;
        newest.reverse();
        Ok(newest)
    }

    fn audit_query(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<AuditRecord>> {
        let mut stmt = self.conn.prepare(sql).ctx("read the audit log")?;
        let rows = stmt
            .query_map(args, |r| {
                let detail: String = r.get(6)?;
                Ok(AuditRecord {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                })
            })
            .ctx("read the audit log")?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .ctx("read the audit log")
    }
}
