use proptest::prelude::*;

use super::fixtures::{docx_with, pdf_with, zip_with};
use super::*;

#[test]
fn plain_text_and_markdown_read_as_written() {
    let e = extract("notes.txt", "Deposition of Jane Roe\nday two".as_bytes());
    assert_eq!(e.text(), Some("Deposition of Jane Roe\nday two"));
    let e = extract("Brief.MD", "# Argument\n\nThe *motion* fails.".as_bytes());
    assert!(e.text().unwrap().contains("motion"));
    // A byte-order mark is dropped; Latin-1 bytes are replaced, not refused.
    let e = extract("a.txt", b"\xEF\xBB\xBFcaf\xE9 terms");
    assert_eq!(e.text(), Some("caf\u{FFFD} terms"));
}

#[test]
fn docx_paragraphs_become_lines_and_entities_resolve() {
    let bytes = docx_with(&["Master Services Agreement", "Fees & costs <net 30>"]);
    assert_eq!(Format::detect("msa.docx", &bytes), Format::Docx);
    let e = extract("msa.docx", &bytes);
    assert_eq!(
        e.text(),
        Some("Master Services Agreement\nFees & costs <net 30>\n")
    );
}

#[test]
fn pdf_text_is_found() {
    let bytes = pdf_with("Privileged settlement memorandum");
    let e = extract("memo.pdf", &bytes);
    let text = e.text().unwrap_or_else(|| panic!("no text: {e:?}"));
    assert!(
        text.contains("Privileged settlement memorandum"),
        "{text:?}"
    );
}

#[test]
fn content_wins_over_the_name() {
    let bytes = pdf_with("Exhibit A");
    assert_eq!(Format::detect("exhibit.txt", &bytes), Format::Pdf);
    assert!(
        extract("exhibit.txt", &bytes)
            .text()
            .unwrap()
            .contains("Exhibit A")
    );
}

#[test]
fn damaged_files_say_what_to_do() {
    let mut pdf = pdf_with("Exhibit A");
    pdf.truncate(40);
    match extract("x.pdf", &pdf) {
        Extraction::Failed(why) => assert!(why.contains("new PDF"), "{why}"),
        other => panic!("{other:?}"),
    }
    match extract("x.docx", b"PK\x03\x04 not really a zip") {
        Extraction::Failed(why) => assert!(why.contains("save it again"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A zip without a Word body.
    let z = zip_with(&[("readme.txt", "hello")]);
    assert!(matches!(extract("x.docx", &z), Extraction::Failed(_)));
    // Binary named as text.
    assert!(matches!(extract("x.txt", b"ab\0cd"), Extraction::Failed(_)));
}

#[test]
fn other_formats_are_kept_but_not_read() {
    assert_eq!(extract("scan.png", b"\x89PNG\r\n"), Extraction::Unsupported);
    assert_eq!(
        extract("book.xlsx", &zip_with(&[("a", "b")])),
        Extraction::Unsupported
    );
    assert_eq!(extract("blank.txt", b"  \n\t"), Extraction::Empty);
}

#[test]
fn text_is_capped_on_a_character_boundary() {
    let long = "é".repeat(TEXT_MAX); // two bytes each: twice the cap
    match extract("long.txt", long.as_bytes()) {
        Extraction::Text { text, truncated } => {
            assert!(truncated);
            assert!(text.len() <= TEXT_MAX && text.len() > TEXT_MAX - 2);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_docx_that_inflates_past_the_limit_is_refused() {
    // 70 MB of zeros deflates to well under 100 KB.
    let big = "0".repeat(70 * 1024 * 1024);
    let z = zip_with(&[("word/document.xml", &big)]);
    assert!(z.len() < 1024 * 1024);
    match extract("bomb.docx", &z) {
        Extraction::Failed(why) => assert!(why.contains("64 MB"), "{why}"),
        other => panic!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever the bytes and the name, extraction answers and stays within its cap.
    #[test]
    fn never_panics_on_arbitrary_input(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        ext in prop::sample::select(vec!["txt", "md", "docx", "pdf", "bin", ""]),
        prefix in prop::sample::select(vec![&b""[..], b"%PDF-1.4\n", b"PK\x03\x04"]),
    ) {
        let mut input = prefix.to_vec();
        input.extend_from_slice(&bytes);
        let e = extract(&format!("f.{ext}"), &input);
        if let Some(t) = e.text() {
            prop_assert!(t.len() <= TEXT_MAX);
        }
    }

    /// Any paragraphs written into a .docx come back, in order.
    #[test]
    fn docx_round_trips_paragraph_text(paras in proptest::collection::vec("[A-Za-z0-9 &<>'\"]{1,40}", 1..6)) {
        let refs: Vec<&str> = paras.iter().map(String::as_str).collect();
        let e = extract("p.docx", &docx_with(&refs));
        let want: String = paras.iter().map(|p| format!("{p}\n")).collect();
        if want.trim().is_empty() {
            prop_assert_eq!(e, Extraction::Empty);
        } else {
            prop_assert_eq!(e.text(), Some(want.as_str()));
        }
    }
}

#[test]
fn pdf_text_is_capped_while_it_is_written() {
    use std::fmt::Write;
    let mut capped = CappedText::default();
    let mut w = CappedWriter(&mut capped);
    let chunk = "é".repeat(1000); // two bytes each: the cap falls inside one
    let mut writes = 0;
    while w.write_str(&chunk).is_ok() {
        writes += 1;
        assert!(writes <= TEXT_MAX / 2000 + 1, "the writer never refused");
    }
    assert!(capped.full);
    assert!(capped.text.len() <= TEXT_MAX && capped.text.len() > TEXT_MAX - 2);
    assert_eq!(
        finish_cut(capped.text, true),
        Extraction::Text {
            text: "é".repeat(TEXT_MAX / 2),
            truncated: true
        }
    );
}

/// The hostile PDFs that only make pdf-extract panic or give up are handled in
/// process too (those that overflow the stack or fill memory are tested through
/// the child process, in tests/isolated.rs).
#[test]
fn hostile_pdfs_that_panic_fail_in_process() {
    use super::fixtures::{
        pdf_declared_huge_stream, pdf_garbage, pdf_nested_arrays, pdf_nested_dictionaries,
        pdf_with_string_in_differences, pdf_with_unknown_encoding,
    };
    for bytes in [
        pdf_with_unknown_encoding("Bogus", "x"),
        pdf_with_string_in_differences("x"),
        pdf_garbage(50_000, 3),
        pdf_nested_arrays(100_000),
        pdf_nested_dictionaries(100_000),
        pdf_declared_huge_stream(200_000_000),
    ] {
        let e = extract("h.pdf", &bytes);
        assert!(
            matches!(e, Extraction::Failed(_) | Extraction::Empty),
            "{e:?}"
        );
    }
}
