//! `mandate document ...` and `mandate disclosure list`: a matter's files, their
//! versions and reviews, and the ledger of what was disclosed to whom.

use std::path::PathBuf;

use clap::Subcommand;
use mandate_core::{
    Disclosure, DisclosureFilter, Document, DocumentOwner, DocumentUpload, DocumentVersion, Error,
    ReviewDraft, ReviewOutcome,
};
use mandate_store::Store;
use serde::Serialize;

use crate::{find_matter, print_json};

#[derive(Subcommand)]
pub enum DocumentCommand {
    /// Add a file to a matter: a new document, or (with --document) its next version.
    /// The file is read, its text indexed, and its bytes kept only in the encrypted
    /// store.
    Add {
        /// The matter's number (or its id).
        #[arg(long)]
        matter: String,
        /// The file to add (.pdf, .docx, .txt and .md are searchable; any file is kept).
        file: PathBuf,
        /// Add the file as the next version of this document (its id).
        #[arg(long)]
        document: Option<String>,
        /// The document's title; defaults to the file name without its extension.
        #[arg(long)]
        title: Option<String>,
        /// firm (default) or provider, for a deliverable a provider returned.
        #[arg(long, value_parser = ["firm", "provider"])]
        owner: Option<String>,
        /// The work order a deliverable answers (its id).
        #[arg(long)]
        assignment: Option<String>,
        /// A note kept with this version.
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Make the redacted copy of a version: a new version, as text, with every
    /// sensitive number the scan finds replaced; the original stays as it was.
    Redact {
        /// The version's id.
        version: String,
        #[arg(long)]
        json: bool,
    },
    /// List a matter's documents, most recently changed first.
    List {
        #[arg(long)]
        matter: String,
        #[arg(long)]
        json: bool,
    },
    /// Show a document, its versions and their reviews.
    Show {
        /// The document's id.
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a copy of one version to a file (decrypted: keep it somewhere safe).
    Get {
        /// The version's id.
        version: String,
        /// Where to write it; an existing file is replaced only once the copy is complete.
        #[arg(long)]
        out: PathBuf,
    },
    /// Record a review of one version: approved, or changes requested with notes.
    Review {
        /// The version's id.
        version: String,
        #[arg(long, value_parser = ["approved", "changes_requested"])]
        outcome: String,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum DisclosureCommand {
    /// The disclosure ledger, oldest first: what was decided about sending which
    /// items to which provider, under which consent.
    List {
        /// Only this matter (its number or id).
        #[arg(long)]
        matter: Option<String>,
        /// Only this provider (id or legal name).
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

fn print_version(v: &DocumentVersion) {
    println!(
        "  v{}  {}  {}  {} bytes  sha256 {}  text: {}  added {} by {}  id {}",
        v.version,
        v.file_name,
        v.media_type,
        v.size,
        v.sha256,
        v.text_status,
        v.added_at,
        v.added_by,
        v.id
    );
    if let Some(n) = &v.text_note {
        println!("      {n}");
    }
}

fn print_document(d: &Document) {
    println!(
        "{}  {}  ({}, v{}, {})",
        d.id,
        d.title,
        d.owner.as_str(),
        d.latest.version,
        d.latest.file_name
    );
}

#[derive(Serialize)]
struct DocumentDetail {
    document: Document,
    versions: Vec<DocumentVersion>,
    reviews: Vec<mandate_core::Review>,
}

pub fn run(store: &mut Store, cmd: DocumentCommand) -> anyhow::Result<()> {
    match cmd {
        DocumentCommand::Add {
            matter,
            file,
            document,
            title,
            owner,
            assignment,
            note,
            json,
        } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                Error::invalid(
                    "file",
                    format!(
                        "Could not read {}: {e}. Check the path and try again.",
                        file.display()
                    ),
                )
            })?;
            let upload = DocumentUpload {
                matter_id: find_matter(store, &matter)?.id,
                document_id: document.map(Into::into),
                title,
                file_name: file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                owner: owner.as_deref().map(DocumentOwner::parse).transpose()?,
                assignment_id: assignment.map(Into::into),
                note,
            };
            let d = store.add_document(&upload, &bytes)?;
            if json {
                return print_json(&d);
            }
            println!(
                "Added {} as version {} of \"{}\" ({})",
                d.latest.file_name, d.latest.version, d.title, d.id
            );
            if let Some(n) = &d.latest.text_note {
                println!("{n}");
            }
        }
        DocumentCommand::List { matter, json } => {
            let docs = store.list_documents(&find_matter(store, &matter)?.id)?;
            if json {
                return print_json(&docs);
            }
            if docs.is_empty() {
                println!(
                    "No documents on {matter}. Add one with `mandate document add --matter {matter} FILE`."
                );
            }
            for d in &docs {
                print_document(d);
            }
        }
        DocumentCommand::Show { id, json } => {
            let detail = DocumentDetail {
                document: store.document(&id)?,
                versions: store.document_versions(&id)?,
                reviews: store.document_reviews(&id)?,
            };
            if json {
                return print_json(&detail);
            }
            print_document(&detail.document);
            for v in &detail.versions {
                print_version(v);
            }
            for r in &detail.reviews {
                println!(
                    "  review {} by {} on {}{}",
                    r.outcome.as_str(),
                    r.reviewer,
                    r.reviewed_at,
                    r.notes
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                );
            }
        }
        DocumentCommand::Redact { version, json } => {
            let v = store.redact_document_version(&version)?;
            if json {
                return print_json(&v);
            }
            println!(
                "Version {} of the document is the redacted copy: {} ({}).",
                v.version,
                v.file_name,
                v.note.as_deref().unwrap_or("")
            );
        }
        DocumentCommand::Get { version, out } => {
            // Named on the command line: an existing file is replaced.
            let (v, bytes) =
                store.save_document_copy(&version, &out, mandate_store::Existing::Replace)?;
            println!(
                "Wrote {} (version {}, {} bytes) to {}",
                v.file_name,
                v.version,
                bytes,
                out.display()
            );
        }
        DocumentCommand::Review {
            version,
            outcome,
            notes,
            json,
        } => {
            let r = store.add_review(&ReviewDraft {
                version_id: version.into(),
                outcome: ReviewOutcome::parse(&outcome)?,
                notes,
            })?;
            if json {
                return print_json(&r);
            }
            println!("Recorded review: {}", r.outcome.as_str());
        }
    }
    Ok(())
}

fn print_disclosure(d: &Disclosure) {
    println!(
        "{}  {}  provider {}  {} item(s)  consent {}  by {}",
        d.decided_at,
        d.decision.as_str(),
        d.provider_id,
        d.items.len(),
        d.consent_id.as_deref().unwrap_or("—"),
        d.decided_by
    );
    for r in &d.reasons {
        println!("    {r}");
    }
    if let Some(o) = &d.override_reason {
        println!("    overridden: {o}");
    }
}

/// The ledger's filter from a matter (number or id) and a provider (id or name), as
/// `disclosure list` and `ledger` take them.
fn disclosure_filter(
    store: &Store,
    matter: Option<&str>,
    provider: Option<&str>,
) -> anyhow::Result<DisclosureFilter> {
    Ok(DisclosureFilter {
        matter_id: matter
            .map(|m| find_matter(store, m).map(|m| m.id))
            .transpose()?,
        provider_id: provider
            .map(|p| store.provider_by_id_or_name(p).map(|p| p.id))
            .transpose()?,
    })
}

pub fn run_disclosure(store: &mut Store, cmd: DisclosureCommand) -> anyhow::Result<()> {
    match cmd {
        DisclosureCommand::List {
            matter,
            provider,
            json,
        } => {
            let filter = disclosure_filter(store, matter.as_deref(), provider.as_deref())?;
            let ledger = store.list_disclosures(&filter)?;
            if json {
                return print_json(&ledger);
            }
            if ledger.is_empty() {
                println!("Nothing has been disclosed.");
            }
            for d in &ledger {
                print_disclosure(d);
            }
        }
    }
    Ok(())
}

/// `mandate ledger --matter M --pdf FILE`: the client's disclosure report.
pub fn write_report(
    store: &mut Store,
    matter: Option<String>,
    provider: Option<String>,
    out: &std::path::Path,
    replace: bool,
) -> anyhow::Result<()> {
    if provider.is_some() {
        anyhow::bail!(
            "The client report covers every provider of the matter: leave out --provider."
        );
    }
    let Some(matter) = matter else {
        anyhow::bail!("Name the matter the report is for: --matter NUMBER.");
    };
    let m = find_matter(store, &matter)?;
    let existing = if replace {
        mandate_store::Existing::Replace
    } else {
        mandate_store::Existing::Refuse
    };
    let today = jiff::ZonedDateTime::now().date().to_string();
    let n = store.write_disclosure_report_to(out, existing, &m.id, &today)?;
    println!(
        "Wrote the disclosure report of {} ({n} ledger entr{}) to {}",
        m.number,
        if n == 1 { "y" } else { "ies" },
        out.display()
    );
    Ok(())
}

/// `mandate ledger`: the disclosure ledger in words, as JSON, or as CSV.
pub fn run_ledger(
    store: &mut Store,
    matter: Option<String>,
    provider: Option<String>,
    json: bool,
    csv: bool,
) -> anyhow::Result<()> {
    let filter = disclosure_filter(store, matter.as_deref(), provider.as_deref())?;
    if csv {
        use std::io::Write;
        std::io::stdout().write_all(&store.ledger_csv(&filter)?)?;
        return Ok(());
    }
    let rows = store.ledger(&filter)?;
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("Nothing has been disclosed.");
    }
    for r in &rows {
        println!(
            "{}  {}  {} → {}  by {}{}",
            r.decided_at,
            r.decision.as_str().to_uppercase(),
            r.matter,
            r.provider,
            r.decided_by,
            r.consent_id
                .as_deref()
                .map(|c| format!("  consent {c}"))
                .unwrap_or_default()
        );
        for i in &r.items {
            println!("    {i}");
        }
        if !r.recipients.is_empty() {
            println!("    encrypted to: {}", r.recipients.join("; "));
        }
        for reason in &r.reasons {
            println!("    reason: {reason}");
        }
        if let Some(o) = &r.override_reason {
            println!("    overridden: {o}");
        }
    }
    Ok(())
}
