//! Documents, versions and their bytes; reviews of returned work; the disclosure
//! ledger.
//!
//! A file's bytes are stored once, under their SHA-256, in the `blob` table of the
//! encrypted database, so no copy of a client's document is ever on disk in
//! plaintext. Its text is read (mandate-extract) before the transaction opens, so the
//! write lock is held only for the inserts — by the [`Extractor`] the caller
//! chose: the app and the CLI read PDF and Word files in a child process with
//! limits, so a hostile file fails only its own text, never the add.

use mandate_core::{
    DisclosedItem, Disclosure, DisclosureDecision, DisclosureDraft, DisclosureFilter, Document,
    DocumentHit, DocumentOwner, DocumentUpload, DocumentVersion, Error, ErrorCode, Result, Review,
    ReviewDraft, ReviewOutcome,
};
use mandate_extract::{Extraction, Extractor, Format};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    Store, audit,
    db::Ctx,
    search::{fts_query, mark},
    sql::{ensure_exists, json_column, to_json},
};

const VERSION_COLUMNS: &str = "v.id, v.document_id, v.version, v.file_name, v.media_type, v.size, v.sha256, v.text_status, v.text_note, v.added_by, v.added_at, v.note";
const DOCUMENT_COLUMNS: &str =
    "d.id, d.matter_id, d.title, d.owner, d.assignment_id, d.revision, d.created_at, d.updated_at";
/// The document search: `?1` the FTS5 query, `?2` how many versions to read, best
/// first (the caller keeps the best per document). (Also run by the benchmark's
/// baseline, `bench.rs`.)
pub(crate) const SEARCH_SQL: &str = "SELECT d.id, v.id, v.version, d.matter_id, mt.number, d.title, v.file_name, coalesce(h.snip, v.file_name)
                 FROM (SELECT rowid, snippet(document_fts, 1, '', '', '…', 12) AS snip, rank
                       FROM document_fts WHERE document_fts MATCH ?1 ORDER BY rank LIMIT ?2) h
                 JOIN document_version v ON v.rowid = h.rowid
                 JOIN document d ON d.id = v.document_id
                 JOIN matter mt ON mt.id = d.matter_id
                 ORDER BY h.rank";

fn version_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<DocumentVersion> {
    Ok(DocumentVersion {
        id: r.get(at)?,
        document_id: r.get(at + 1)?,
        version: r.get(at + 2)?,
        file_name: r.get(at + 3)?,
        media_type: r.get(at + 4)?,
        size: r.get(at + 5)?,
        sha256: r.get(at + 6)?,
        text_status: r.get(at + 7)?,
        text_note: r.get(at + 8)?,
        added_by: r.get(at + 9)?,
        added_at: r.get(at + 10)?,
        note: r.get(at + 11)?,
    })
}

/// A document row followed by its latest version's columns.
fn document_from_row(r: &Row<'_>) -> rusqlite::Result<Document> {
    let owner: String = r.get(3)?;
    Ok(Document {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        title: r.get(2)?,
        // The CHECK constraint admits only these two values.
        owner: if owner == "provider" {
            DocumentOwner::Provider
        } else {
            DocumentOwner::Firm
        },
        assignment_id: r.get(4)?,
        revision: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        latest: version_from_row(r, 8)?,
    })
}

fn review_from_row(r: &Row<'_>) -> rusqlite::Result<Review> {
    let outcome: String = r.get(3)?;
    Ok(Review {
        id: r.get(0)?,
        version_id: r.get(1)?,
        reviewer: r.get(2)?,
        outcome: if outcome == "approved" {
            ReviewOutcome::Approved
        } else {
            ReviewOutcome::ChangesRequested
        },
        notes: r.get(4)?,
        reviewed_at: r.get(5)?,
    })
}

fn disclosure_from_row(r: &Row<'_>) -> rusqlite::Result<Disclosure> {
    let decision: String = r.get(6)?;
    Ok(Disclosure {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        provider_id: r.get(2)?,
        assignment_id: r.get(3)?,
        consent_id: r.get(4)?,
        items: json_column::<Vec<DisclosedItem>>(r, 5)?,
        decision: DisclosureDecision::parse(&decision).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                6,
                rusqlite::types::Type::Text,
                e.message.into(),
            )
        })?,
        reasons: json_column(r, 7)?,
        decided_by: r.get(8)?,
        override_reason: r.get(9)?,
        decided_at: r.get(10)?,
        recipients: json_column(r, 11)?,
    })
}

/// SHA-256 of some bytes, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn no_document() -> Error {
    Error::not_found("That document does not exist. List the matter's documents to find it.")
}

fn no_version() -> Error {
    Error::not_found(
        "That document version does not exist. List the document's versions to find it.",
    )
}

/// A file made ready to store: checked, fingerprinted and its text read. Preparing
/// needs no store, so the window does it before taking the store (reading a large
/// PDF can take seconds, and nothing else should wait for it).
pub struct PreparedDocument {
    valid: mandate_core::document::ValidUpload,
    media_type: &'static str,
    size: usize,
    sha256: String,
    text: Option<String>,
    text_status: &'static str,
    text_note: Option<String>,
}

/// Checks an upload and reads its text with `reader`; see [`PreparedDocument`].
/// A file whose text cannot be read is still prepared (and stored): its version
/// says `failed` and why.
pub fn prepare_document(
    upload: &DocumentUpload,
    bytes: &[u8],
    reader: &Extractor,
) -> Result<PreparedDocument> {
    let valid = upload.validate(bytes.len() as u64)?;
    let media_type = Format::detect(&valid.file_name, bytes).media_type();
    let extraction = reader.extract(&valid.file_name, bytes);
    let text_status = extraction.status();
    let (text, text_note) = match extraction {
        Extraction::Text { text, truncated } => (
            Some(text),
            truncated.then(|| "Only the first 8 MB of text is searchable.".to_owned()),
        ),
        Extraction::Failed(why) => (None, Some(why)),
        Extraction::Empty => (
            None,
            Some("No text found in this file (a scan without OCR?). It is kept, but its content is not searchable.".into()),
        ),
        Extraction::Unsupported => (None, None),
    };
    Ok(PreparedDocument {
        valid,
        media_type,
        size: bytes.len(),
        sha256: sha256_hex(bytes),
        text,
        text_status,
        text_note,
    })
}

/// Prepares a file that is already stored as a blob (a large deliverable received in
/// pieces): checked like any upload, its format told from its first bytes, its text
/// not read — reading it would hold the whole file in memory — so it is kept but not
/// searchable, and its version says why.
pub(crate) fn prepare_stored_document(
    upload: &DocumentUpload,
    size: usize,
    sha256: String,
    head: &[u8],
) -> Result<PreparedDocument> {
    let valid = upload.validate(size as u64)?;
    let media_type = Format::detect(&valid.file_name, head).media_type();
    Ok(PreparedDocument {
        valid,
        media_type,
        size,
        sha256,
        text: None,
        text_status: "unsupported",
        text_note: Some(
            "This file was too large to read for search when it arrived. It is kept whole; open it to read it.".into(),
        ),
    })
}

impl Store {
    /// Adds a file to a matter: a new document, or the next version of
    /// `upload.document_id`, its text read by this store's reader
    /// ([`Store::set_extractor`]). The same bytes added twice are stored once.
    pub fn add_document(&mut self, upload: &DocumentUpload, bytes: &[u8]) -> Result<Document> {
        let prepared = prepare_document(upload, bytes, &self.extractor)?;
        self.add_prepared_document(upload, &prepared, bytes)
    }

    /// Stores a file prepared by [`prepare_document`] from the same `upload` and
    /// `bytes`: only the inserts, in one transaction with the audit record.
    pub fn add_prepared_document(
        &mut self,
        upload: &DocumentUpload,
        prepared: &PreparedDocument,
        bytes: &[u8],
    ) -> Result<Document> {
        // The bytes were hashed once, when prepared; a second hash of a large file
        // would be spent under the store's lock. The size catches a mixed-up call.
        if prepared.size != bytes.len() {
            return Err(Error::internal(
                "The file changed between reading and storing it. Add it again.",
            ));
        }
        let tx = self.conn.transaction().ctx("add the document")?;
        let document_id = insert_document(
            &tx,
            &self.clock.stamp(),
            &self.actor,
            upload,
            prepared,
            Some(bytes),
            None,
        )?;
        tx.commit().ctx("add the document")?;
        self.record_audit_head();
        self.document(&document_id)
    }

    pub fn document(&self, id: &str) -> Result<Document> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {DOCUMENT_COLUMNS}, {VERSION_COLUMNS} FROM document d
                     JOIN document_version v ON v.document_id = d.id
                     WHERE d.id = ?1 ORDER BY v.version DESC LIMIT 1"
                ),
                [id.trim()],
                document_from_row,
            )
            .optional()
            .ctx("read the document")?
            .ok_or_else(no_document)
    }

    /// A matter's documents, most recently changed first, each with its latest version.
    pub fn list_documents(&self, matter_id: &str) -> Result<Vec<Document>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {DOCUMENT_COLUMNS}, {VERSION_COLUMNS} FROM document d
                 JOIN document_version v ON v.document_id = d.id
                   AND v.version = (SELECT max(version) FROM document_version WHERE document_id = d.id)
                 WHERE d.matter_id = ?1
                 ORDER BY d.updated_at DESC, d.id"
            ))
            .ctx("list the documents")?;
        stmt.query_map([matter_id.trim()], document_from_row)
            .ctx("list the documents")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list the documents")
    }

    /// Every version of a document, newest first.
    pub fn document_versions(&self, document_id: &str) -> Result<Vec<DocumentVersion>> {
        self.document(document_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {VERSION_COLUMNS} FROM document_version v WHERE v.document_id = ?1 ORDER BY v.version DESC"
            ))
            .ctx("list the versions")?;
        stmt.query_map([document_id.trim()], |r| version_from_row(r, 0))
            .ctx("list the versions")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list the versions")
    }

    pub fn document_version(&self, version_id: &str) -> Result<DocumentVersion> {
        self.conn
            .query_row(
                &format!("SELECT {VERSION_COLUMNS} FROM document_version v WHERE v.id = ?1"),
                [version_id.trim()],
                |r| version_from_row(r, 0),
            )
            .optional()
            .ctx("read the version")?
            .ok_or_else(no_version)
    }

    /// The text read from a version, for the reader in the window.
    pub fn document_text(&self, version_id: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT text FROM document_version WHERE id = ?1",
                [version_id.trim()],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .ctx("read the text")?
            .ok_or_else(no_version)
    }

    /// A version's bytes, checked against its SHA-256 before they are handed out.
    pub fn document_bytes(&self, version_id: &str) -> Result<(DocumentVersion, Vec<u8>)> {
        let version = self.document_version(version_id)?;
        let bytes = crate::blobs::read_all(&self.conn, &version.sha256)?;
        if sha256_hex(&bytes) != version.sha256 {
            return Err(Error::new(
                ErrorCode::Corrupt,
                format!(
                    "The stored copy of {} (version {}) does not match its fingerprint. Restore the store from a backup.",
                    version.file_name, version.version
                ),
            ));
        }
        Ok((version, bytes))
    }

    /// Writes a decrypted copy of a version (checked against its SHA-256) to `path`
    /// ([`crate::check_copy_file`]: a file in an existing folder; an existing file
    /// only with [`Existing::Replace`]) and records it in the audit log
    /// (`document.save_copy`, with the version's id and SHA-256). The copy takes its
    /// name only once the record is committed. Returns the version and the number
    /// of bytes written.
    ///
    /// [`Existing::Replace`]: crate::Existing::Replace
    pub fn save_document_copy(
        &mut self,
        version_id: &str,
        path: &std::path::Path,
        existing: crate::Existing,
    ) -> Result<(DocumentVersion, u64)> {
        crate::outputs::check_copy_file(path, existing)?;
        let (version, bytes) = self.document_bytes(version_id)?;
        let matter_id = self.document(&version.document_id)?.matter_id;
        let detail = json!({
            "matter_id": matter_id,
            "version_id": version.id,
            "version": version.version,
            "sha256": version.sha256,
        });
        let document_id = version.document_id.clone();
        crate::export::write_file_recorded(path, &bytes, || {
            self.record_outside_write("document.save_copy", "document", &document_id, &detail)
        })?;
        Ok((version, bytes.len() as u64))
    }

    /// Document versions whose file name or text matches, best first, one hit per
    /// document (its best-matching version). A version without text (unreadable,
    /// a scan, an image) is found by its name; its snippet is the file name.
    pub fn search_documents(&self, query: &str, limit: u32) -> Result<Vec<DocumentHit>> {
        let Some(q) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare_cached(SEARCH_SQL)
            .ctx("search documents")?;
        // Ask FTS5 for more than `limit`, since older versions of one document
        // often match the same words; keep the best per document.
        let limit = limit.clamp(1, crate::SEARCH_MAX);
        let rows = stmt
            .query_map(params![q, limit * 4], |r| {
                Ok(DocumentHit {
                    document_id: r.get(0)?,
                    version_id: r.get(1)?,
                    version: r.get(2)?,
                    matter_id: r.get(3)?,
                    matter_number: r.get(4)?,
                    title: r.get(5)?,
                    file_name: r.get(6)?,
                    snippet: mark(&r.get::<_, String>(7)?, query),
                })
            })
            .ctx("search documents")?;
        let mut out: Vec<DocumentHit> = Vec::new();
        for hit in rows {
            let hit = hit.ctx("search documents")?;
            if !out.iter().any(|h| h.document_id == hit.document_id) {
                out.push(hit);
            }
            if out.len() == limit as usize {
                break;
            }
        }
        Ok(out)
    }

    /// Records a review of one version by the person using the store.
    pub fn add_review(&mut self, draft: &ReviewDraft) -> Result<Review> {
        let notes = draft.validate()?;
        let version = self.document_version(&draft.version_id)?;
        let matter_id = self.document(&version.document_id)?.matter_id;
        let id = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("record the review")?;
        tx.execute(
            "INSERT INTO review (id, version_id, reviewer, outcome, notes, reviewed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, version.id, self.actor, draft.outcome.as_str(), notes, now],
        )
        .ctx("record the review")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "document.review",
            "document",
            &version.document_id,
            &json!({ "matter_id": matter_id, "version": version.version, "outcome": draft.outcome.as_str() }),
        )?;
        tx.commit().ctx("record the review")?;
        self.record_audit_head();
        Ok(Review {
            id,
            version_id: version.id,
            reviewer: self.actor.clone(),
            outcome: draft.outcome,
            notes,
            reviewed_at: now,
        })
    }

    /// Reviews of every version of a document, oldest first.
    pub fn document_reviews(&self, document_id: &str) -> Result<Vec<Review>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.id, r.version_id, r.reviewer, r.outcome, r.notes, r.reviewed_at
                 FROM review r JOIN document_version v ON v.id = r.version_id
                 WHERE v.document_id = ?1 ORDER BY r.reviewed_at, r.id",
            )
            .ctx("list the reviews")?;
        stmt.query_map([document_id.trim()], review_from_row)
            .ctx("list the reviews")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list the reviews")
    }

    /// Writes one entry of the disclosure ledger (and its audit record).
    pub fn record_disclosure(&mut self, draft: &DisclosureDraft) -> Result<Disclosure> {
        let tx = self.conn.transaction().ctx("record the disclosure")?;
        let disclosure = insert_disclosure(&tx, &self.clock.stamp(), &self.actor, draft)?;
        tx.commit().ctx("record the disclosure")?;
        self.record_audit_head();
        Ok(disclosure)
    }

    /// The ledger, oldest first, for a matter and/or a provider.
    pub fn list_disclosures(&self, filter: &DisclosureFilter) -> Result<Vec<Disclosure>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, matter_id, provider_id, assignment_id, consent_id, items, decision, reasons, decided_by, override_reason, decided_at, recipients
                 FROM disclosure
                 WHERE (?1 IS NULL OR matter_id = ?1) AND (?2 IS NULL OR provider_id = ?2)
                 ORDER BY decided_at, id",
            )
            .ctx("list the disclosures")?;
        stmt.query_map(
            params![
                filter.matter_id.as_deref().map(str::trim),
                filter.provider_id.as_deref().map(str::trim)
            ],
            disclosure_from_row,
        )
        .ctx("list the disclosures")?
        .collect::<rusqlite::Result<Vec<_>>>()
        .ctx("list the disclosures")
    }
}

/// Adds a document (or a version of one) inside `tx`: the rows, the file, the audit
/// record. `new_id` names a new document (a deliverable keeps the id it was sent
/// under); otherwise one is made. Returns the document's id.
pub(crate) fn insert_document(
    tx: &rusqlite::Connection,
    now: &str,
    actor: &str,
    upload: &DocumentUpload,
    prepared: &PreparedDocument,
    bytes: Option<&[u8]>,
    new_id: Option<&str>,
) -> Result<String> {
    let v = &prepared.valid;
    let matter_id = upload.matter_id.trim();
    let sha = &prepared.sha256;
    let (text, note) = (prepared.text.as_deref(), prepared.text_note.as_deref());
    let version_id = uuid::Uuid::now_v7().to_string();
    ensure_exists(
        tx,
        "matter",
        matter_id,
        "The document names a matter that does not exist. List matters to find it.",
    )?;
    if let Some(a) = upload
        .assignment_id
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        let on_matter: Option<String> = tx
            .query_row(
                "SELECT matter_id FROM assignment WHERE id = ?1",
                [a.trim()],
                |r| r.get(0),
            )
            .optional()
            .ctx("check the assignment")?;
        if on_matter.as_deref() != Some(matter_id) {
            return Err(Error::invalid(
                "assignment_id",
                "That work order is not on this matter. Choose one of the matter's assignments.",
            ));
        }
    }
    let (document_id, version) = match upload.document_id.as_deref().map(str::trim) {
        Some(doc) if !doc.is_empty() => {
            let found: Option<(String, i64)> = tx
                .query_row(
                    "SELECT d.matter_id, (SELECT max(version) FROM document_version WHERE document_id = d.id)
                     FROM document d WHERE d.id = ?1",
                    [doc],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .ctx("read the document")?;
            let Some((doc_matter, last)) = found else {
                return Err(no_document());
            };
            if doc_matter != matter_id {
                return Err(Error::invalid(
                    "document_id",
                    "That document belongs to another matter. Add the file to that matter, or start a new document here.",
                ));
            }
            tx.execute(
                "UPDATE document SET revision = revision + 1, updated_at = ?2 WHERE id = ?1",
                params![doc, now],
            )
            .ctx("add the version")?;
            (doc.to_owned(), last + 1)
        }
        _ => {
            let id = new_id.map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
            tx.execute(
                "INSERT INTO document (id, matter_id, title, owner, assignment_id, revision, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
                params![
                    id,
                    matter_id,
                    v.title,
                    upload.owner.unwrap_or(DocumentOwner::Firm).as_str(),
                    upload.assignment_id.as_deref().map(str::trim).filter(|a| !a.is_empty()),
                    now
                ],
            )
            .ctx("add the document")?;
            (id, 1)
        }
    };
    // A file received in pieces is already stored (`bytes` is `None`).
    if let Some(bytes) = bytes {
        crate::blobs::put(tx, sha, bytes)?;
    }
    tx.execute(
        "INSERT INTO document_version (id, document_id, version, file_name, media_type, size, sha256, text, text_status, text_note, added_by, added_at, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            version_id,
            document_id,
            version,
            v.file_name,
            prepared.media_type,
            prepared.size as i64,
            sha,
            text,
            prepared.text_status,
            note,
            actor,
            now,
            v.note
        ],
    )
    .ctx("add the version")?;
    audit::append(
        tx,
        actor,
        now,
        if version == 1 {
            "document.create"
        } else {
            "document.version"
        },
        "document",
        &document_id,
        &json!({ "matter_id": matter_id, "version": version, "sha256": sha, "size": prepared.size }),
    )?;
    Ok(document_id)
}

/// Writes one entry of the disclosure ledger (and its audit record) inside `tx`.
pub(crate) fn insert_disclosure(
    tx: &rusqlite::Transaction<'_>,
    now: &str,
    actor: &str,
    draft: &DisclosureDraft,
) -> Result<Disclosure> {
    let (reasons, override_reason) = draft.validate()?;
    let id = uuid::Uuid::now_v7().to_string();
    let (matter_id, provider_id) = (draft.matter_id.trim(), draft.provider_id.trim());
    let assignment_id = draft
        .assignment_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let consent_id = draft
        .consent_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    ensure_exists(
        tx,
        "matter",
        matter_id,
        "The disclosure names a matter that does not exist.",
    )?;
    ensure_exists(
        tx,
        "provider",
        provider_id,
        "The disclosure names a provider that does not exist.",
    )?;
    if let Some(a) = assignment_id {
        ensure_exists(
            tx,
            "assignment",
            a,
            "The disclosure names a work order that does not exist.",
        )?;
    }
    if let Some(c) = consent_id {
        ensure_exists(
            tx,
            "consent",
            c,
            "The disclosure names a consent that does not exist.",
        )?;
    }
    tx.execute(
        "INSERT INTO disclosure (id, matter_id, provider_id, assignment_id, consent_id, items, decision, reasons, decided_by, override_reason, decided_at, recipients)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            id,
            matter_id,
            provider_id,
            assignment_id,
            consent_id,
            to_json(&draft.items),
            draft.decision.as_str(),
            to_json(&reasons),
            actor,
            override_reason,
            now,
            to_json(&draft.recipients)
        ],
    )
    .ctx("record the disclosure")?;
    audit::append(
        tx,
        actor,
        now,
        "disclosure.record",
        "matter",
        matter_id,
        &json!({ "disclosure_id": id, "provider_id": provider_id, "decision": draft.decision.as_str(), "items": draft.items.len() }),
    )?;
    Ok(Disclosure {
        id,
        matter_id: matter_id.into(),
        provider_id: provider_id.into(),
        assignment_id: assignment_id.map(Into::into),
        consent_id: consent_id.map(Into::into),
        items: draft.items.clone(),
        decision: draft.decision,
        reasons,
        decided_by: actor.to_owned(),
        override_reason,
        decided_at: now.to_owned(),
        recipients: draft.recipients.clone(),
    })
}

const LEDGER_COLUMNS: [&str; 11] = [
    "decided_at",
    "matter",
    "provider",
    "assignment_id",
    "items",
    "recipients",
    "decision",
    "reasons",
    "consent_id",
    "decided_by",
    "override_reason",
];

impl Store {
    /// The disclosure ledger (for a matter, a provider, or the whole firm), oldest
    /// first, in words: what was sent or refused, to whom, under which consent.
    pub fn ledger(
        &self,
        filter: &DisclosureFilter,
    ) -> Result<Vec<mandate_core::document::LedgerRow>> {
        self.ledger_rows(self.list_disclosures(filter)?)
    }

    /// These disclosures as ledger rows, in the same order (for callers that also
    /// need the disclosures themselves, so the ledger is read once).
    pub(crate) fn ledger_rows(
        &self,
        disclosures: Vec<Disclosure>,
    ) -> Result<Vec<mandate_core::document::LedgerRow>> {
        let mut names: std::collections::HashMap<String, String> = Default::default();
        let mut rows = Vec::new();
        for d in disclosures {
            let matter = match names.get(d.matter_id.as_str()) {
                Some(n) => n.clone(),
                None => {
                    let n = self.matter(&d.matter_id)?.number;
                    names.insert(d.matter_id.to_string(), n.clone());
                    n
                }
            };
            let provider = match names.get(d.provider_id.as_str()) {
                Some(n) => n.clone(),
                None => {
                    let n = self.provider(&d.provider_id)?.legal_name;
                    names.insert(d.provider_id.to_string(), n.clone());
                    n
                }
            };
            rows.push(mandate_core::document::LedgerRow {
                decided_at: d.decided_at,
                matter,
                provider,
                assignment_id: d.assignment_id,
                items: d
                    .items
                    .iter()
                    .map(|i| {
                        // A label usually names its kind already ("document Lease.txt v2").
                        let what = match &i.label {
                            Some(l) if l.starts_with(i.kind.as_str()) => l.clone(),
                            Some(l) => format!("{} {l}", i.kind),
                            None => format!("{} {}", i.kind, i.id),
                        };
                        match &i.sha256 {
                            Some(h) => format!("{what} (sha256 {h})"),
                            None => what,
                        }
                    })
                    .collect(),
                recipients: d.recipients,
                decision: d.decision,
                reasons: d.reasons,
                consent_id: d.consent_id,
                decided_by: d.decided_by,
                override_reason: d.override_reason,
            });
        }
        Ok(rows)
    }

    /// The ledger as CSV (every cell quoted and neutralised, lists joined by "; ").
    pub fn ledger_csv(&self, filter: &DisclosureFilter) -> Result<Vec<u8>> {
        ledger_csv_of(self.ledger(filter)?)
    }
}

/// Ledger rows as CSV (every cell quoted and neutralised, lists joined by "; ").
pub(crate) fn ledger_csv_of(rows: Vec<mandate_core::document::LedgerRow>) -> Result<Vec<u8>> {
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "decided_at": r.decided_at,
                "matter": r.matter,
                "provider": r.provider,
                "assignment_id": r.assignment_id,
                "items": r.items.join("; "),
                "recipients": r.recipients.join("; "),
                "decision": r.decision.as_str(),
                "reasons": r.reasons.join("; "),
                "consent_id": r.consent_id,
                "decided_by": r.decided_by,
                "override_reason": r.override_reason,
            })
        })
        .collect();
    let columns: Vec<String> = LEDGER_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    crate::export::csv_bytes(&columns, &rows)
}
