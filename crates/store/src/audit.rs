//! The audit chain: who did what, and when, in an append-only, hash-chained log.
//!
//! Each record's hash covers its own fields and the previous record's hash, so
//! changing or removing any record breaks every link after it. `verify` walks the
//! chain and names the first broken link.

use mandate_core::{AuditRecord, AuditReport, Result};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::{Store, db::Ctx, files};

/// The chain's newest record, kept outside the database too, beside `store.json`,
/// so that cutting the newest records off the chain (which leaves every remaining
/// link intact) is still noticed. A file of its own, not `store.json`: it is
/// rewritten after every change, and `store.json` says how to unlock the store.
pub(crate) const HEAD_FILE: &str = "audit-head.json";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

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
    tx: &rusqlite::Connection,
    actor: &str,
    at: &str,
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
    let detail = detail.to_string();
    let hash = link_hash(
        &prev_hash,
        seq,
        [at, actor, action, entity, entity_id, &detail],
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
                    head_problem: None,
                });
            }
            expected_prev = hash;
            expected_seq += 1;
        }
        let head_problem = self.check_audit_head()?;
        Ok(AuditReport {
            records,
            intact: head_problem.is_none(),
            first_broken: None,
            head_problem,
        })
    }

    /// The chain's newest record in the database, if any.
    pub fn audit_head(&self) -> Result<Option<AuditHead>> {
        self.conn
            .query_row(
                "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                [],
                |r| {
                    Ok(AuditHead {
                        seq: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()
            .ctx("read the audit log")
    }

    /// Writes the chain's newest record to `audit-head.json` after a commit. Best
    /// effort: the change itself is committed, and a head file that lags behind
    /// (a full disk, another process writing at the same time) never raises a false
    /// alarm; the next change writes it again.
    pub(crate) fn record_audit_head(&self) {
        if self.audit_batch.get() {
            return;
        }
        let Ok(Some(head)) = self.audit_head() else {
            return;
        };
        if head.seq <= self.audit_head.get() {
            return;
        }
        if let Ok(body) = serde_json::to_vec(&head)
            && files::replace_durably(&self.dir.join(HEAD_FILE), &body).is_ok()
        {
            self.audit_head.set(head.seq);
        }
    }

    /// Starts a batch of writes (a page of received items): the head file, which is
    /// written durably, is written once by [`Store::end_audit_batch`] instead of after
    /// every record. A head that lags after a crash is safe — the check on open only
    /// reports a chain *shorter* than its recorded head.
    pub fn begin_audit_batch(&self) {
        self.audit_batch.set(true);
    }

    pub fn end_audit_batch(&self) {
        self.audit_batch.set(false);
        self.record_audit_head();
    }

    /// Compares the chain with the head recorded outside the database. Returns
    /// what is wrong, in words, or `None`.
    pub(crate) fn check_audit_head(&self) -> Result<Option<String>> {
        let path = self.dir.join(HEAD_FILE);
        let recorded: AuditHead = match std::fs::read(&path) {
            Ok(bytes) => match serde_json::from_slice(&bytes) {
                Ok(h) => h,
                Err(_) => {
                    return Ok(Some(format!(
                        "{} is damaged, so Mandate cannot tell whether the newest history \
                         records are all there. Run `mandate audit verify`, and restore from a \
                         backup if records are missing.",
                        path.display()
                    )));
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(crate::io_error(&path, &e)),
        };
        self.audit_head.set(self.audit_head.get().max(recorded.seq));
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT hash FROM audit WHERE seq = ?1",
                [recorded.seq],
                |r| r.get(0),
            )
            .optional()
            .ctx("read the audit log")?;
        Ok(match at {
            Some(hash) if hash == recorded.hash => None,
            Some(_) => Some(format!(
                "History record {} is not the one recorded outside the store: the newest \
                 history was replaced. Restore the store from a backup.",
                recorded.seq
            )),
            None => {
                let newest = self.audit_head()?.map_or(0, |h| h.seq);
                Some(format!(
                    "The history ends at record {newest}, but record {} was written: the newest \
                     {} history records were removed. Restore the store from a backup.",
                    recorded.seq,
                    recorded.seq - newest
                ))
            }
        })
    }

    /// What opening the store found wrong with the history's head, if anything
    /// (shown by the window and the CLI).
    pub fn audit_warning(&self) -> Option<&str> {
        self.audit_warning.as_deref()
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
