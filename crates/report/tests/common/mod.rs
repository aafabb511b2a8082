//! Reading the report back the way a person's viewer would: poppler's `pdftotext` and
//! `pdftoppm` (Debian's poppler-utils, installed by scripts/setup.sh). Missing tools
//! fail the test with what to do; a report that is never read back proves nothing.

#![allow(dead_code)] // each test file uses its own part of this

use std::path::{Path, PathBuf};
use std::process::Command;

use mandate_report::{DisclosureReport, Entry, ProviderSection};

/// Runs one of poppler's tools, failing the test if it is missing or fails.
pub fn poppler(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run {tool} ({e}): the report tests read PDFs back with poppler-utils; \
             run scripts/setup.sh to install it"
        )
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{tool} complained about the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Writes the PDF into `dir` and returns its path.
pub fn write_pdf(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, pdf).expect("write the PDF into the temporary folder");
    path
}

/// `pdftotext -layout`: the pages' text, pages separated by form feeds.
pub fn text_of(pdf: &Path) -> String {
    let path = pdf.to_str().expect("temporary paths are UTF-8");
    String::from_utf8(poppler(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", path, "-"],
    ))
    .expect("pdftotext -enc UTF-8 writes UTF-8")
}

/// The text of each page.
pub fn pages_of(text: &str) -> Vec<&str> {
    let mut pages: Vec<&str> = text.split('\u{c}').collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Text with every run of whitespace as one space: what a line of the report says,
/// whatever spacing the layout mode chose.
pub fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with no whitespace at all: what a wrapped paragraph says, wherever it broke.
pub fn solid(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn entry(at: &str, items: &[&str], decision: mandate_report::Decision) -> Entry {
    Entry {
        at: at.into(),
        items: items.iter().map(|s| s.to_string()).collect(),
        decision,
        consent: Some(
            "signed 2026-11-02, covers: personal data; countries DE, IN; AI use: no".into(),
        ),
        approved_by: "Ann Lee".into(),
        recipients: vec!["48213 99012 33871 10294 55510 77123".into()],
    }
}

pub fn report(providers: Vec<ProviderSection>, consents: Vec<String>) -> DisclosureReport {
    DisclosureReport {
        firm: "Øster & Brønd LLP".into(),
        matter_number: "2026-0142".into(),
        matter_title: "Ñúñez v. Société Générale".into(),
        client: "José Ñúñez".into(),
        prepared_on: "2026-11-20".into(),
        prepared_by: "Ann Lee".into(),
        providers,
        consents,
    }
}
