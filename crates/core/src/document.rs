//! Documents on a matter, their versions, the reviews of returned work, and the
//! disclosure ledger.
//!
//! A document is a named thing ("Master services agreement"); each file added to it
//! is a new version, never an overwrite. The bytes of a version live once, under
//! their SHA-256, in the encrypted store. A review records that a person read a
//! version and approved it or asked for changes. A disclosure records what was
//! decided about sending items of a matter to a provider, and under which consent:
//! the ledger that proves, later, what went to whom.

use crate::ids::{AssignmentId, ConsentId, DocumentId, MatterId, ProviderId, VersionId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::TEXT_MAX;
use crate::fields::{LONG_TEXT_MAX, clean_long, optional, required, text_list};

/// Largest file one version may hold. Firms send transcripts and productions of a
/// few hundred pages; anything larger belongs in a review platform, not a message.
pub const DOCUMENT_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// Longest file name kept (most file systems allow 255 bytes).
pub const FILE_NAME_MAX: usize = 255;

/// Which side owns a document, and so may add versions to it once it is shared:
/// the firm's own documents, or a provider's deliverables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocumentOwner {
    Firm,
    Provider,
}

impl DocumentOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Firm => "firm",
            Self::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "firm" => Ok(Self::Firm),
            "provider" => Ok(Self::Provider),
            other => Err(Error::invalid(
                "owner",
                format!("Unknown owner \"{other}\": use firm or provider."),
            )),
        }
    }
}

/// One file added to a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentVersion {
    pub id: VersionId,
    pub document_id: DocumentId,
    /// 1 for the first file, then 2, 3 …
    #[ts(type = "number")]
    pub version: i64,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: i64,
    /// SHA-256 of the file's bytes, lower-case hex: what a reviewer compares.
    pub sha256: String,
    /// Whether its text could be read for search: text, empty, unsupported, failed.
    pub text_status: String,
    /// Why the text could not be read, for the person who added it.
    pub text_note: Option<String>,
    pub added_by: String,
    pub added_at: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Document {
    pub id: DocumentId,
    pub matter_id: MatterId,
    pub title: String,
    pub owner: DocumentOwner,
    /// The work order a provider's deliverable answers, if any.
    pub assignment_id: Option<AssignmentId>,
    pub latest: DocumentVersion,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// What comes with the bytes of a file being added: to a new document (no
/// `document_id`) or as the next version of an existing one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentUpload {
    pub matter_id: MatterId,
    /// Add a new version to this document instead of starting a new one.
    #[serde(default)]
    #[ts(optional)]
    pub document_id: Option<DocumentId>,
    /// The document's title; defaults to the file name without its extension.
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    pub file_name: String,
    #[serde(default)]
    #[ts(optional)]
    pub owner: Option<DocumentOwner>,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<AssignmentId>,
    #[serde(default)]
    #[ts(optional)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUpload {
    pub title: String,
    pub file_name: String,
    pub note: Option<String>,
}

impl DocumentUpload {
    /// Checks what was typed and the file's size. A path is reduced to its last
    /// part: the store keeps a file name, never where it lay on someone's disk.
    pub fn validate(&self, size: u64) -> Result<ValidUpload> {
        if self.matter_id.trim().is_empty() {
            return Err(Error::invalid(
                "matter_id",
                "Choose the matter the document belongs to.",
            ));
        }
        let base = self
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default();
        let file_name = required("file_name", "the file's name", base, FILE_NAME_MAX)?;
        if size == 0 {
            return Err(Error::invalid(
                "file",
                format!(
                    "{file_name} is empty (0 bytes). Check that it is the file you meant to add."
                ),
            ));
        }
        if size > DOCUMENT_MAX_BYTES {
            return Err(Error::invalid(
                "file",
                format!(
                    "{file_name} is {} MB; one version holds at most {} MB. Split it, or compress scanned pages, and add the parts.",
                    size.div_ceil(1024 * 1024),
                    DOCUMENT_MAX_BYTES / (1024 * 1024)
                ),
            ));
        }
        let default_title = file_name
            .rsplit_once('.')
            .map(|(stem, _)| stem)
            .filter(|s| !s.is_empty())
            .unwrap_or(&file_name)
            .to_owned();
        let title = optional("title", self.title.as_deref(), TEXT_MAX)?.unwrap_or(default_title);
        let note = match self.note.as_deref() {
            Some(n) => clean_long("note", n, LONG_TEXT_MAX)?,
            None => None,
        };
        Ok(ValidUpload {
            title,
            file_name,
            note,
        })
    }
}

/// A document version whose text or file name matched a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DocumentHit {
    pub document_id: DocumentId,
    pub version_id: VersionId,
    #[ts(type = "number")]
    pub version: i64,
    pub matter_id: MatterId,
    pub matter_number: String,
    pub title: String,
    pub file_name: String,
    /// The matching part of the text, in pieces: the words that matched are marked.
    pub snippet: Vec<crate::search::SnippetPart>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    Approved,
    ChangesRequested,
}

impl ReviewOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::ChangesRequested => "changes_requested",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.replace('-', "_").as_str() {
            "approved" => Ok(Self::Approved),
            "changes_requested" => Ok(Self::ChangesRequested),
            other => Err(Error::invalid(
                "outcome",
                format!("Unknown review outcome \"{other}\": use approved or changes_requested."),
            )),
        }
    }
}

/// A person's reading of one version: approved, or changes requested with what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Review {
    pub id: String,
    pub version_id: VersionId,
    pub reviewer: String,
    pub outcome: ReviewOutcome,
    pub notes: Option<String>,
    pub reviewed_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReviewDraft {
    pub version_id: VersionId,
    pub outcome: ReviewOutcome,
    #[serde(default)]
    #[ts(optional)]
    pub notes: Option<String>,
}

impl ReviewDraft {
    /// Asking for changes without saying which leaves the provider guessing, so
    /// notes are required then.
    pub fn validate(&self) -> Result<Option<String>> {
        let notes = match self.notes.as_deref() {
            Some(n) => clean_long("notes", n, LONG_TEXT_MAX)?,
            None => None,
        };
        if self.outcome == ReviewOutcome::ChangesRequested && notes.is_none() {
            return Err(Error::invalid(
                "notes",
                "Say what needs to change, so the provider knows what to revise.",
            ));
        }
        Ok(notes)
    }
}

/// What the send guard decided for one send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureDecision {
    Allow,
    AllowWithConditions,
    Block,
    /// A block that a supervising attorney overrode, with a written reason.
    Override,
}

impl DisclosureDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::AllowWithConditions => "allow_with_conditions",
            Self::Block => "block",
            Self::Override => "override",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.replace('-', "_").as_str() {
            "allow" => Ok(Self::Allow),
            "allow_with_conditions" => Ok(Self::AllowWithConditions),
            "block" => Ok(Self::Block),
            "override" => Ok(Self::Override),
            other => Err(Error::invalid(
                "decision",
                format!(
                    "Unknown decision \"{other}\": use allow, allow_with_conditions, block or override."
                ),
            )),
        }
    }

    /// Whether the items left the firm.
    pub fn sent(self) -> bool {
        self != Self::Block
    }
}

/// One item named in a disclosure: a document version (with its hash), a message,
/// a deadline, the brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DisclosedItem {
    pub kind: String,
    pub id: String,
    #[serde(default)]
    #[ts(optional)]
    pub sha256: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub label: Option<String>,
}

/// A ledger entry. Append-only: never changed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Disclosure {
    pub id: String,
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    pub assignment_id: Option<AssignmentId>,
    /// The consent relied on, if any.
    pub consent_id: Option<ConsentId>,
    pub items: Vec<DisclosedItem>,
    pub decision: DisclosureDecision,
    /// The guard's reasons, in the words shown to the person who sent.
    pub reasons: Vec<String>,
    pub decided_by: String,
    pub override_reason: Option<String>,
    pub decided_at: String,
    /// The key fingerprints the items were encrypted to (empty when nothing left).
    #[serde(default)]
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DisclosureDraft {
    pub matter_id: MatterId,
    pub provider_id: ProviderId,
    #[serde(default)]
    #[ts(optional)]
    pub assignment_id: Option<AssignmentId>,
    #[serde(default)]
    #[ts(optional)]
    pub consent_id: Option<ConsentId>,
    pub items: Vec<DisclosedItem>,
    pub decision: DisclosureDecision,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub reasons: Vec<String>,
    #[serde(default)]
    #[ts(optional)]
    pub override_reason: Option<String>,
    /// The key fingerprints the items were encrypted to.
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub recipients: Vec<String>,
}

impl DisclosureDraft {
    pub fn validate(&self) -> Result<(Vec<String>, Option<String>)> {
        if self.items.is_empty() {
            return Err(Error::invalid(
                "items",
                "Name at least one item: a disclosure records what was sent.",
            ));
        }
        for item in &self.items {
            required("items", "each item's kind", &item.kind, 40)?;
            required("items", "each item's id", &item.id, 200)?;
        }
        let reasons = text_list("reasons", &self.reasons, LONG_TEXT_MAX)?;
        let override_reason = match self.override_reason.as_deref() {
            Some(r) => clean_long("override_reason", r, LONG_TEXT_MAX)?,
            None => None,
        };
        if self.decision == DisclosureDecision::Override && override_reason.is_none() {
            return Err(Error::invalid(
                "override_reason",
                "Write why the block is overridden: the reason is part of the record.",
            ));
        }
        Ok((reasons, override_reason))
    }
}

/// A row of the disclosure ledger as a person reads it: the matter by number, the
/// provider by name, each item by its label, the recipients' fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LedgerRow {
    pub decided_at: String,
    pub matter: String,
    pub provider: String,
    pub assignment_id: Option<AssignmentId>,
    pub items: Vec<String>,
    pub recipients: Vec<String>,
    pub decision: DisclosureDecision,
    pub reasons: Vec<String>,
    pub consent_id: Option<ConsentId>,
    pub decided_by: String,
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DisclosureFilter {
    #[serde(default)]
    #[ts(optional)]
    pub matter_id: Option<MatterId>,
    #[serde(default)]
    #[ts(optional)]
    pub provider_id: Option<ProviderId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(name: &str) -> DocumentUpload {
        DocumentUpload {
            matter_id: "m".into(),
            file_name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_path_keeps_only_its_file_name_and_titles_default_to_the_stem() {
        let v = upload("/home/ann/Clients/Acme/Draft MSA.docx")
            .validate(10)
            .unwrap();
        assert_eq!(v.file_name, "Draft MSA.docx");
        assert_eq!(v.title, "Draft MSA");
        let v = upload(r"C:\Users\ann\memo.pdf").validate(10).unwrap();
        assert_eq!(v.file_name, "memo.pdf");
        let v = upload(".env").validate(10).unwrap();
        assert_eq!(v.title, ".env");
    }

    #[test]
    fn empty_and_oversize_files_are_refused_with_what_to_do() {
        let e = upload("a.pdf").validate(0).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("file"));
        let e = upload("a.pdf")
            .validate(DOCUMENT_MAX_BYTES + 1)
            .unwrap_err();
        assert!(e.message.contains("Split it"), "{}", e.message);
        assert!(upload("a.pdf").validate(DOCUMENT_MAX_BYTES).is_ok());
        let e = upload("dir/").validate(5).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("file_name"));
    }

    #[test]
    fn changes_requested_needs_notes_and_override_needs_a_reason() {
        let r = ReviewDraft {
            version_id: "v".into(),
            outcome: ReviewOutcome::ChangesRequested,
            notes: Some("  ".into()),
        };
        assert_eq!(r.validate().unwrap_err().field.as_deref(), Some("notes"));
        let d = DisclosureDraft {
            matter_id: "m".into(),
            provider_id: "p".into(),
            assignment_id: None,
            consent_id: None,
            items: vec![DisclosedItem {
                kind: "document_version".into(),
                id: "v".into(),
                sha256: None,
                label: None,
            }],
            decision: DisclosureDecision::Override,
            reasons: vec![],
            override_reason: None,
            recipients: vec![],
        };
        assert_eq!(
            d.validate().unwrap_err().field.as_deref(),
            Some("override_reason")
        );
        let empty = DisclosureDraft {
            items: vec![],
            decision: DisclosureDecision::Allow,
            ..d
        };
        assert_eq!(
            empty.validate().unwrap_err().field.as_deref(),
            Some("items")
        );
    }
}
