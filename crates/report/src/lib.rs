//! The client disclosure report: the page a lawyer hands a client that answers "what
//! of mine did you share, with whom, when, and under which consent".
//!
//! [`render_pdf`] turns a [`DisclosureReport`] — the matter's disclosure ledger already
//! put in words (names, labels, consent descriptions) — into a printable PDF on US
//! Letter: the firm, matter and client; a plain paragraph on what the report covers;
//! a summary line; one section per provider with every send in date order (what went,
//! the decision, the consent relied on, who approved it, the recipients' keys); the
//! consents on file; and a footer with the page number on every page.
//!
//! Why a crate of its own: it is pure — a report in, bytes out; no I/O, no clock, no
//! store — so the desktop app and the CLI produce the same document, and the tests can
//! read it back with poppler and look at every page. The store reads the ledger; the
//! caller writes the bytes wherever the person chose.
//!
//! Dependencies (also in `DEPENDENCY.md`): `pdf-writer`, typst's low-level PDF writer
//! (maintained with typst, four tiny dependencies, no I/O of its own), writes the
//! objects; the text is set in the PDF's standard Helvetica faces, so no font file is
//! embedded. Wrapping lines needs those faces' glyph widths: they come from
//! `pdf-core-14-font-afms`, Adobe's own AFM files for the standard fonts shipped
//! verbatim (data fixed since 1997, no code), not from a table typed in here.
//! `printpdf` was the alternative: since 0.8 it is built around an HTML layout engine
//! and font loading (azul), far more than placing a few hundred lines of text needs.
//!
//! Text is written in WinAnsiEncoding (Latin-1 and a few marks such as dashes and
//! curly quotes): characters outside it are printed as `?` (see `font.rs`). No input
//! makes rendering panic.

mod font;
mod layout;
mod pdf;
mod words;
mod wrap;

/// Everything the report says, already in words: the caller (the store's ledger, read
/// for one matter) chooses names and labels; this crate only sets them on pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DisclosureReport {
    /// The firm's name, as it should read to the client.
    pub firm: String,
    pub matter_number: String,
    pub matter_title: String,
    pub client: String,
    /// The date the report was made, as it should be printed (the caller's clock).
    pub prepared_on: String,
    /// Who made the report.
    pub prepared_by: String,
    /// One section per provider, printed in this order.
    pub providers: Vec<ProviderSection>,
    /// The description of each consent on file for the matter, e.g. "signed
    /// 2026-11-02, covers: personal data; countries IN; AI use: no".
    pub consents: Vec<String>,
}

/// A provider and every send of the matter to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderSection {
    /// The provider's legal name.
    pub name: String,
    /// The countries the provider processes data in (ISO codes or names).
    pub countries: Vec<String>,
    /// The sends, in any order: the report prints them in order of [`Entry::at`].
    pub entries: Vec<Entry>,
}

/// One send, as the disclosure ledger recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it was decided, as printed; ISO 8601 (`2026-11-03 14:22`), so that text
    /// order is date order.
    pub at: String,
    /// What was sent, one label per item (document title and version, "Brief", …).
    pub items: Vec<String>,
    pub decision: Decision,
    /// The description of the consent the send relied on, if any.
    pub consent: Option<String>,
    /// Who approved the send (for a stopped send: who tried it).
    pub approved_by: String,
    /// The fingerprints of the keys the items were encrypted to.
    pub recipients: Vec<String>,
}

/// What the send guard decided, in the report's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Sent,
    /// Sent, with the conditions the send guard attached (each printed).
    SentWithConditions {
        conditions: Vec<String>,
    },
    /// The send guard stopped the send: nothing left the firm.
    Stopped {
        reasons: Vec<String>,
    },
    /// The send guard stopped it and an attorney sent it anyway, with a reason; the
    /// guard's own reasons are printed too, so the client sees what was overridden.
    Overridden {
        by: String,
        reason: String,
        guard_reasons: Vec<String>,
    },
}

impl Decision {
    /// Whether the items left the firm.
    pub fn was_sent(&self) -> bool {
        !matches!(self, Decision::Stopped { .. })
    }
}

/// The report as a PDF (US Letter, 612 × 792 pt), ready to be written to a file.
///
/// Pure and deterministic: the same report gives the same bytes (no date or id is
/// stamped in). Any input renders; see the crate's notes on characters.
pub fn render_pdf(report: &DisclosureReport) -> Vec<u8> {
    let pages = layout::lay_out(report);
    pdf::write(report, &pages)
}
