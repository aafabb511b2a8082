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
    let (dir, s) = store();
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
    let (dir, s) = store();
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
    let (dir, s) = store();
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
