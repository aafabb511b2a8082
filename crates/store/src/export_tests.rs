//! JSON and CSV export: everything, correctly quoted, readable back.

use mandate_core::deadline::DeadlineDraft;
use mandate_core::{MatterDraft, ProviderDraft};
use tempfile::TempDir;

use crate::{ExportFormat, MemoryVault, Store};

fn store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    for i in 0..1203 {
        s.create_matter(&MatterDraft {
            number: format!("X-{i:04}"),
            title: format!("Matter {i}"),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    }
    let tricky = s
        .create_matter(&MatterDraft {
            number: "Q-1".into(),
            title: "Smith, \"Jr.\" v. Doe; and others".into(),
            client_name: "O'Brien & Co".into(),
            ..Default::default()
        })
        .unwrap();
    s.create_provider(&ProviderDraft {
        legal_name: "Lexbridge".into(),
        countries: vec!["IN".into(), "PH".into()],
        ..Default::default()
    })
    .unwrap();
    s.create_deadlines(&DeadlineDraft {
        matter_id: tricky.id,
        title: Some("Hearing".into()),
        due_date: Some("2026-12-01".into()),
        ..Default::default()
    })
    .unwrap();
    (dir, s)
}

#[test]
fn json_export_holds_every_record_of_every_kind() {
    let (dir, mut s) = store();
    let out = dir.path().join("export");
    let files = s.export_records(&out, ExportFormat::Json).unwrap();
    let count = |name: &str| {
        files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap()
            .records
    };
    assert_eq!(count("matters.json"), 1204, "more than one page of matters");
    assert_eq!(
        (
            count("providers.json"),
            count("deadlines.json"),
            count("parties.json")
        ),
        (1, 1, 0)
    );
    let matters: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.join("matters.json")).unwrap()).unwrap();
    assert!(
        matters
            .iter()
            .any(|m| m["title"] == "Smith, \"Jr.\" v. Doe; and others")
    );
    assert!(!std::fs::read_dir(&out).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with("partial")
    }));
}

#[test]
fn csv_export_quotes_what_needs_quoting_and_reads_back() {
    let (dir, mut s) = store();
    let out = dir.path().join("export");
    s.export_records(&out, ExportFormat::Csv).unwrap();
    let mut r = csv::Reader::from_path(out.join("matters.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let title = headers.iter().position(|h| h == "title").unwrap();
    let client = headers.iter().position(|h| h == "client_name").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1204);
    let q = rows
        .iter()
        .find(|r| &r[title] == "Smith, \"Jr.\" v. Doe; and others")
        .expect("round-trips");
    assert_eq!(&q[client], "O'Brien & Co");
    let providers = std::fs::read_to_string(out.join("providers.csv")).unwrap();
    assert!(
        providers.contains("IN; PH"),
        "lists are joined for spreadsheets: {providers}"
    );
}

#[test]
fn an_export_reports_one_step_per_file() {
    use mandate_core::{Progress, ProgressPhase};
    let (dir, mut s) = store();
    let mut seen: Vec<Progress> = Vec::new();
    let files = s
        .export_records_with_progress(&dir.path().join("export"), ExportFormat::Csv, &mut |p| {
            seen.push(p)
        })
        .unwrap();
    assert!(seen.iter().all(|p| p.phase == ProgressPhase::Exporting));
    assert!(seen.iter().all(|p| p.done <= p.total && p.total == 9));
    let done: Vec<u64> = seen.iter().map(|p| p.done).collect();
    assert_eq!(done, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    let items: Vec<String> = seen.iter().filter_map(|p| p.item.clone()).collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(items, names, "each step names the file just written");
    assert_eq!(names[0], "matters.csv");
}

#[test]
fn messages_documents_and_the_ledger_are_exported_and_read_back() {
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    let m = s
        .create_matter(&MatterDraft {
            number: "M-1".into(),
            title: "T".into(),
            client_name: "C".into(),
            ..Default::default()
        })
        .unwrap();
    let body = "Line one, with a comma\n\"quoted\" line two";
    for i in 0..3 {
        s.add_message(&mandate_core::MessageDraft {
            matter_id: m.id.clone(),
            author: format!("Author {i}"),
            body: body.into(),
            sent_at: None,
        })
        .unwrap();
    }
    let d = s
        .add_document(
            &mandate_core::DocumentUpload {
                matter_id: m.id.clone(),
                file_name: "memo.txt".into(),
                ..Default::default()
            },
            b"memo text",
        )
        .unwrap();
    let out = dir.path().join("csv");
    let files = s.export_records(&out, ExportFormat::Csv).unwrap();
    let count = |name: &str| {
        files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap()
            .records
    };
    assert_eq!(
        (
            count("messages.csv"),
            count("documents.csv"),
            count("disclosures.csv")
        ),
        (3, 1, 0)
    );
    let mut r = csv::Reader::from_path(out.join("messages.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        &rows[0][4], body,
        "bodies survive commas, quotes and line breaks"
    );
    let docs = std::fs::read_to_string(out.join("documents.csv")).unwrap();
    assert!(docs.contains(&d.latest.sha256));

    let out = dir.path().join("json");
    s.export_records(&out, ExportFormat::Json).unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("messages.json")).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[2]["body"], body);
    assert_eq!(v[0]["matter_id"], m.id.as_str());
    // Nothing temporary is left, and what was written is private to its owner.
    for e in std::fs::read_dir(&out).unwrap() {
        let e = e.unwrap();
        assert!(!e.file_name().to_string_lossy().ends_with(".partial"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(e.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let dir = TempDir::new().unwrap();
    // The target is a folder, so the final rename fails after the bytes are written.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("x"), b"keep").unwrap();
    assert!(crate::write_file_atomically(&target, b"client data").is_err());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["taken"], "no temporary file is left beside it");
}

/// Cells as a spreadsheet would see them in `file`: every data row, by column name.
fn csv_rows(file: &std::path::Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(file).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    let title = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    let client = "+1 555 0100";
    let m = s
        .create_matter(&MatterDraft {
            number: "N-1".into(),
            title: title.into(),
            client_name: client.into(),
            ..Default::default()
        })
        .unwrap();
    let bodies = [
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "plain text, = later is fine",
    ];
    for body in bodies {
        s.add_message(&mandate_core::MessageDraft {
            matter_id: m.id.clone(),
            author: "=cmd".into(),
            body: body.into(),
            sent_at: None,
        })
        .unwrap();
    }
    let out = dir.path().join("csv");
    s.export_records(&out, ExportFormat::Csv).unwrap();

    let matters = csv_rows(&out.join("matters.csv"));
    assert_eq!(matters[0]["title"], format!("'{title}"));
    assert_eq!(matters[0]["client_name"], format!("'{client}"));
    assert_eq!(
        matters[0]["number"], "N-1",
        "a harmless cell is left as it is"
    );
    // The neutralised cell is written inside double quotes, its own quotes doubled.
    let raw = std::fs::read_to_string(out.join("matters.csv")).unwrap();
    assert!(
        raw.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\""),
        "{raw}"
    );
    // The header row is Mandate's own column names, unquoted.
    let header = raw.lines().next().unwrap();
    assert!(!header.contains('"'), "{header}");
    assert!(header.split(',').any(|c| c == "title"), "{header}");

    let messages = csv_rows(&out.join("messages.csv"));
    let got: Vec<&str> = messages.iter().map(|r| r["body"].as_str()).collect();
    assert_eq!(
        got,
        [
            "'-2+3+cmd|' /C calc'!A0",
            "'@SUM(1+1)*cmd|' /C calc'!A0",
            "plain text, = later is fine"
        ]
    );
    assert!(messages.iter().all(|r| r["author"] == "'=cmd"));

    // JSON is not read by spreadsheets: it keeps the text as it was typed.
    let json_dir = dir.path().join("json");
    s.export_records(&json_dir, ExportFormat::Json).unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(json_dir.join("matters.json")).unwrap()).unwrap();
    assert_eq!(v[0]["title"], title);
}

#[test]
fn tabs_and_carriage_returns_in_front_are_neutralised_and_numbers_stay_numbers() {
    // The store trims what people type, so these reach an export only through
    // stored text that was never trimmed; the writer handles them anyway.
    let columns = vec![
        "n".to_owned(),
        "s".to_owned(),
        "t".to_owned(),
        "r".to_owned(),
    ];
    let rows = vec![serde_json::json!({"n": -3, "s": "-3", "t": "\t=1+1", "r": "\r=1+1"})];
    let bytes = crate::export::csv_bytes(&columns, &rows).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "n,s,t,r\n\"-3\",\"'-3\",\"'\t=1+1\",\"'\r=1+1\"\n"
    );
}

mod csv_property {
    use proptest::prelude::*;

    use crate::export::{FORMULA_START, csv_bytes};

    /// Text that often starts with a formula character, and any text at all.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[=+@\t\r-][^\n]{0,12}",
            "[ =+@\t\r\n,;\"'a-z0-9-]{0,16}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn no_exported_cell_starts_with_a_formula_character(
            rows in proptest::collection::vec(
                (text(), proptest::collection::vec(text(), 0..3)),
                1..6,
            )
        ) {
            let columns = vec!["text".to_owned(), "list".to_owned()];
            let values: Vec<serde_json::Value> = rows
                .iter()
                .map(|(t, l)| serde_json::json!({"text": t, "list": l}))
                .collect();
            let bytes = csv_bytes(&columns, &values).unwrap();
            let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
            let read: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            prop_assert_eq!(read.len(), rows.len());
            let mut requoted = csv::WriterBuilder::new()
                .quote_style(csv::QuoteStyle::Always)
                .from_writer(Vec::new());
            for (rec, (t, l)) in read.iter().zip(&rows) {
                for cell in rec.iter() {
                    prop_assert!(!cell.starts_with(FORMULA_START), "{:?}", cell);
                }
                // Nothing is lost: a neutralised cell is the text behind a "'".
                let joined = l.join("; ");
                for (cell, original) in rec.iter().zip([t.as_str(), joined.as_str()]) {
                    if original.starts_with(FORMULA_START) {
                        prop_assert_eq!(cell, format!("'{original}"));
                    } else {
                        prop_assert_eq!(cell, original);
                    }
                }
                requoted.write_record(rec).unwrap();
            }
            // Every data cell is in double quotes: the rows are exactly what a
            // write-everything-quoted CSV writer makes of them.
            let header_end = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
            let expected = requoted.into_inner().unwrap();
            prop_assert_eq!(&bytes[header_end..], expected.as_slice());
        }
    }
}

/// The sequence number written to `audit-head.json` beside the database.
fn head_file_seq(store_dir: &std::path::Path) -> i64 {
    let bytes = std::fs::read(store_dir.join(crate::audit::HEAD_FILE)).unwrap();
    serde_json::from_slice::<crate::AuditHead>(&bytes)
        .unwrap()
        .seq
}

#[test]
fn an_export_is_recorded_with_its_format_and_file_count() {
    let (dir, mut s) = store();
    let files = s
        .export_records(&dir.path().join("csv"), ExportFormat::Csv)
        .unwrap();
    let records: usize = files.iter().map(|f| f.records).sum();
    let history = s.audit_history("store", s.id()).unwrap();
    let exports: Vec<_> = history
        .iter()
        .filter(|r| r.action == "store.export")
        .collect();
    assert_eq!(exports.len(), 1, "{history:?}");
    assert_eq!(exports[0].detail["format"], "csv");
    assert_eq!(exports[0].detail["files"], 9);
    assert_eq!(exports[0].detail["records"], records);
    // The head outside the database follows the new record.
    let head = s.audit_head().unwrap().unwrap();
    assert_eq!(head_file_seq(&dir.path().join("store")), head.seq);
    assert!(s.audit_verify().unwrap().intact);

    s.export_records(&dir.path().join("json"), ExportFormat::Json)
        .unwrap();
    let formats: Vec<String> = s
        .audit_history("store", s.id())
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "store.export")
        .map(|r| r.detail["format"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(formats, ["csv", "json"]);
}

#[test]
fn an_export_goes_only_into_an_empty_or_new_folder() {
    let dir = TempDir::new().unwrap();
    let mut s = Store::open(&dir.path().join("store"), &MemoryVault::default()).unwrap();
    let exports = |s: &Store| {
        s.audit_history("store", s.id())
            .unwrap()
            .iter()
            .filter(|r| r.action == "store.export")
            .count()
    };

    // A folder that holds anything is refused, and left as it was.
    let full = dir.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("notes.txt"), b"mine").unwrap();
    let e = s.export_records(&full, ExportFormat::Csv).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert!(e.message.contains("not empty"), "{}", e.message);
    assert_eq!(std::fs::read_dir(&full).unwrap().count(), 1);

    // A file, and a new folder inside a folder that does not exist.
    let file = dir.path().join("file.csv");
    std::fs::write(&file, b"x").unwrap();
    assert!(s.export_records(&file, ExportFormat::Csv).is_err());
    let deep = dir.path().join("missing").join("export");
    let e = s.export_records(&deep, ExportFormat::Csv).unwrap_err();
    assert!(e.message.contains("does not exist"), "{}", e.message);
    assert!(!dir.path().join("missing").exists());
    assert_eq!(exports(&s), 0, "nothing refused is recorded");

    // An empty folder, and a new one in an existing folder, are fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    s.export_records(&empty, ExportFormat::Json).unwrap();
    s.export_records(&dir.path().join("new"), ExportFormat::Json)
        .unwrap();
    assert_eq!(exports(&s), 2);
    // The same folder again now holds an export: refused.
    assert!(s.export_records(&empty, ExportFormat::Json).is_err());
}
