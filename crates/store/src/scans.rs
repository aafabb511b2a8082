//! The sensitive-number scan on what is about to be shared: each item's text (the
//! brief's scope and instructions, a document version's extracted text, a
//! deadline's title) scanned with `mandate_core::scan`, each hit with what a person
//! decided about it. A hit is dealt with when it is kept on purpose by a named
//! person (recorded here by a keyed hash of the number, never the number itself) or
//! redacted: a document's redacted copy is a new version, the original untouched.
//! The send guard counts what is left (`scan.unresolved`).

use hmac::{Hmac, Mac};
use mandate_core::exchange::ShareRequest;
use mandate_core::scan::{ItemScan, ScanFinding, redact, scan};
use mandate_core::{DocumentUpload, DocumentVersion, Error, Result};
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{Store, audit, db::Ctx};

/// The setting that holds this store's key for the hashes of kept numbers.
const KEEP_KEY: &str = "scan_keep_key";

/// A kept number as recorded: HMAC-SHA256 under a random key of this store. A plain
/// SHA-256 of a number with as few values as an SSN (10^9) is reversed by trying
/// them all in minutes; without the key, which never leaves the encrypted database
/// (exports carry neither it nor the decisions), there is nothing to try them
/// against.
fn keyed_digest(key: &[u8], text: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(text.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// How decisions were recorded before the keyed hash: still honoured when read.
fn legacy_digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl Store {
    /// This store's key for the hashes of kept numbers, once one was kept.
    fn keep_key(&self) -> Result<Option<Vec<u8>>> {
        Self::read_keep_key(&self.conn)
    }

    fn read_keep_key(conn: &rusqlite::Connection) -> Result<Option<Vec<u8>>> {
        let v: Option<String> = conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [KEEP_KEY],
                |r| r.get(0),
            )
            .optional()
            .ctx("read the scan decisions")?;
        Ok(v.and_then(|v| serde_json::from_str::<String>(&v).ok())
            .and_then(|h| hex::decode(h).ok()))
    }

    /// Scans exactly the items of `req`, with each hit's decision.
    pub fn scan_share(&self, req: &ShareRequest) -> Result<Vec<ItemScan>> {
        let assignment = self.assignment(&req.assignment_id)?;
        let mut items = Vec::new();
        if req.brief {
            let text = match &assignment.instructions {
                Some(i) => format!("{}\n{}", assignment.scope, i),
                None => assignment.scope.clone(),
            };
            items.push(self.item_scan(&assignment.id, "brief", &assignment.id, "brief", &text)?);
        }
        for v in &req.document_versions {
            let version = self.document_version(v)?;
            let text = self.document_text(v)?.unwrap_or_default();
            items.push(self.item_scan(
                &assignment.id,
                "document",
                &version.id,
                &format!("{} v{}", version.file_name, version.version),
                &text,
            )?);
        }
        for d in &req.deadlines {
            let deadline = self.deadline(d)?;
            items.push(self.item_scan(
                &assignment.id,
                "deadline",
                &deadline.id,
                &format!("deadline {}", deadline.title),
                &deadline.title,
            )?);
        }
        Ok(items)
    }

    fn item_scan(
        &self,
        assignment_id: &str,
        kind: &str,
        id: &str,
        label: &str,
        text: &str,
    ) -> Result<ItemScan> {
        let key = self.keep_key()?;
        let mut kept = self
            .conn
            .prepare_cached(
                "SELECT kept_by, kept_at FROM scan_keep WHERE assignment_id = ?1 AND item_id = ?2 AND hit_sha256 IN (?3, ?4)",
            )
            .ctx("read the scan decisions")?;
        let mut findings = Vec::new();
        for hit in scan(text) {
            let keyed = key.as_deref().map(|k| keyed_digest(k, &hit.text));
            let decision: Option<(String, String)> = kept
                .query_row(
                    params![assignment_id, id, keyed, legacy_digest(&hit.text)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .ctx("read the scan decisions")?;
            let (kept_by, kept_at) = decision.unzip();
            findings.push(ScanFinding {
                hit,
                kept_by,
                kept_at,
            });
        }
        Ok(ItemScan {
            kind: kind.to_owned(),
            id: id.to_owned(),
            label: label.to_owned(),
            findings,
        })
    }

    /// A person keeps one hit on purpose (it must go as it is): recorded with their
    /// name and audited; the number itself is stored only as its SHA-256.
    pub fn keep_scan_hit(
        &mut self,
        assignment_id: &str,
        item_id: &str,
        hit_text: &str,
        kept_by: &str,
    ) -> Result<()> {
        let kept_by = kept_by.trim();
        if kept_by.is_empty() {
            return Err(Error::invalid(
                "kept_by",
                "Name the person who decides this number goes as it is.",
            ));
        }
        self.assignment(assignment_id)?;
        let tx = self.conn.transaction().ctx("keep the number")?;
        let key = match Self::read_keep_key(&tx)? {
            Some(k) => k,
            None => {
                let k: [u8; 32] = rand::random();
                tx.execute(
                    "INSERT INTO setting (key, value) VALUES (?1, ?2)",
                    params![
                        KEEP_KEY,
                        serde_json::Value::String(hex::encode(k)).to_string()
                    ],
                )
                .ctx("keep the number")?;
                k.to_vec()
            }
        };
        tx.execute(
            "INSERT INTO scan_keep (assignment_id, item_id, hit_sha256, kept_by, kept_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (assignment_id, item_id, hit_sha256) DO UPDATE SET kept_by = excluded.kept_by, kept_at = excluded.kept_at",
            params![assignment_id.trim(), item_id.trim(), keyed_digest(&key, hit_text), kept_by, self.clock.stamp()],
        )
        .ctx("keep the number")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "scan.keep",
            "assignment",
            assignment_id.trim(),
            &json!({ "item_id": item_id.trim(), "kept_by": kept_by }),
        )?;
        tx.commit().ctx("keep the number")?;
        self.record_audit_head();
        Ok(())
    }

    /// Makes the redacted copy of a document version: a new version of the same
    /// document, as text, that says it is a redacted copy and of what, with every
    /// hit of the scan replaced by `[REDACTED …]`. The original version stays as it
    /// was. Refused when the version has no text or nothing to redact.
    pub fn redact_document_version(&mut self, version_id: &str) -> Result<DocumentVersion> {
        let version = self.document_version(version_id)?;
        let text = self.document_text(version_id)?.ok_or_else(|| {
            Error::invalid(
                "version_id",
                "This version has no text Mandate could read, so it cannot be redacted here. Redact it in its own program and add the result as a new version.",
            )
        })?;
        let hits = scan(&text);
        if hits.is_empty() {
            return Err(Error::invalid(
                "version_id",
                "The scan finds no sensitive number in this version: there is nothing to redact.",
            ));
        }
        let document = self.document(&version.document_id)?;
        let stem = version
            .file_name
            .rsplit_once('.')
            .map_or(version.file_name.as_str(), |(s, _)| s);
        let kinds: Vec<&str> = {
            let mut k: Vec<&str> = hits.iter().map(|h| h.kind.label()).collect();
            k.sort_unstable();
            k.dedup();
            k
        };
        let body = format!(
            "Redacted copy of {} (version {}), made by Mandate: {} sensitive number(s) removed ({}).\n\n{}",
            version.file_name,
            version.version,
            hits.len(),
            kinds.join(", "),
            redact(&text, &hits)
        );
        let added = self.add_document(
            &DocumentUpload {
                matter_id: document.matter_id.clone(),
                document_id: Some(document.id.clone()),
                file_name: format!("{stem} (redacted).txt"),
                note: Some(format!(
                    "Redacted copy of version {}: {} sensitive number(s) removed ({}).",
                    version.version,
                    hits.len(),
                    kinds.join(", ")
                )),
                ..Default::default()
            },
            body.as_bytes(),
        )?;
        let tx = self.conn.transaction().ctx("record the redaction")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "document.redact",
            "document",
            &document.id,
            &json!({ "from_version": version.id, "to_version": added.latest.id, "removed": hits.len(), "kinds": kinds }),
        )?;
        tx.commit().ctx("record the redaction")?;
        self.record_audit_head();
        Ok(added.latest)
    }
}
