//! Documents, versions, reviews and the disclosure ledger on a real SQLCipher store.

use mandate_core::{
    ConsentDraft, DisclosedItem, DisclosureDecision, DisclosureDraft, DisclosureFilter,
    DocumentUpload, ErrorCode, MatterDraft, ProviderDraft, ReviewDraft, ReviewOutcome,
};
use mandate_extract::fixtures::{docx_with, pdf_with};
use tempfile::TempDir;

use crate::{DB_FILE, MemoryVault, Store};

fn fresh() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    (dir, store)
}

fn matter(store: &mut Store, number: &str) -> mandate_core::MatterId {
    store
        .create_matter(&MatterDraft {
            number: number.into(),
            title: "Acme v. Globex".into(),
            client_name: "Acme Corp".into(),
            ..Default::default()
        })
        .unwrap()
        .id
}

fn upload(matter_id: &str, name: &str) -> DocumentUpload {
    DocumentUpload {
        matter_id: matter_id.into(),
        file_name: name.into(),
        ..Default::default()
    }
}

#[test]
fn pdf_docx_and_text_are_stored_versioned_and_searchable() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "2026-001");
    let pdf = pdf_with("Quarterly indemnification schedule");
    let d = store
        .add_document(&upload(&m, "Schedule.pdf"), &pdf)
        .unwrap();
    assert_eq!(d.title, "Schedule");
    assert_eq!(d.latest.version, 1);
    assert_eq!(d.latest.media_type, "application/pdf");
    assert_eq!(d.latest.text_status, "text");
    assert_eq!(d.latest.sha256, crate::sha256_hex(&pdf));
    let docx = docx_with(&["Deposition outline", "Witness: Maria Obregon"]);
    store
        .add_document(&upload(&m, "Outline.docx"), &docx)
        .unwrap();
    store
        .add_document(&upload(&m, "notes.md"), b"# Call notes\nsettlement posture")
        .unwrap();

    let hits = store.search_documents("indemnification", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].document_id, d.id);
    assert_eq!(hits[0].matter_number, "2026-001");
    assert!(
        hits[0]
            .snippet
            .contains(&mandate_core::SnippetPart::new("indemnification", true)),
        "{:?}",
        hits[0].snippet
    );
    assert_eq!(store.search_documents("obregon", 10).unwrap().len(), 1);
    assert_eq!(store.search_documents("posture", 10).unwrap().len(), 1);
    // The file name is searchable too, and global search has a documents group.
    assert_eq!(store.search("outline", 10).unwrap().documents.len(), 1);

    // A second version: numbered 2, the document's latest, both kept.
    let mut next = upload(&m, "Schedule v2.pdf");
    next.document_id = Some(d.id.clone());
    let d2 = store
        .add_document(&next, &pdf_with("Revised indemnification schedule"))
        .unwrap();
    assert_eq!(d2.id, d.id);
    assert_eq!(d2.latest.version, 2);
    assert_eq!(d2.title, "Schedule");
    let versions = store.document_versions(&d.id).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    // One hit per document, whichever version matched best.
    assert_eq!(
        store.search_documents("indemnification", 10).unwrap().len(),
        1
    );
    assert_eq!(store.list_documents(&m).unwrap().len(), 3);

    // The bytes come back exactly, checked against their hash.
    let (v, bytes) = store.document_bytes(&versions[1].id).unwrap();
    assert_eq!(v.version, 1);
    assert_eq!(bytes, pdf);
    assert!(
        store
            .document_text(&versions[0].id)
            .unwrap()
            .unwrap()
            .contains("Revised")
    );
}

/// The app and the CLI read PDFs in a child process. Whatever becomes of it — it
/// dies of a signal, cannot be started, hangs — the file is stored, flagged, with
/// a note saying what happened; only its text is missing.
#[cfg(unix)]
#[test]
fn documents_whose_reader_fails_are_still_stored() {
    use mandate_extract::{Extractor, Isolated, Limits};
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let quick = Limits {
        timeout: std::time::Duration::from_secs(1),
        ..Limits::default()
    };
    let readers = [
        (
            Isolated::new("/bin/sh").with_args(["-c", "kill -SEGV $$", "sh"]),
            "crashed",
        ),
        (Isolated::new("/nonexistent/reader"), "could not be started"),
        (
            Isolated::new("/bin/sh")
                .with_args(["-c", "exec sleep 60", "sh"])
                .with_limits(quick),
            "took too long",
        ),
    ];
    let pdf = pdf_with("Quarterly indemnification schedule");
    for (i, (reader, says)) in readers.into_iter().enumerate() {
        let reader = Extractor::Isolated(reader);
        let up = upload(&m, &format!("Schedule {i}.pdf"));
        let d = if i == 0 {
            // The window's way: prepared outside the store, then stored.
            let prepared = crate::prepare_document(&up, &pdf, &reader).unwrap();
            store.add_prepared_document(&up, &prepared, &pdf).unwrap()
        } else {
            store.set_extractor(reader);
            store.add_document(&up, &pdf).unwrap()
        };
        assert_eq!(d.latest.text_status, "failed");
        assert_eq!(d.latest.media_type, "application/pdf");
        let note = d.latest.text_note.as_deref().unwrap();
        assert!(note.contains(says), "{note}");
        assert!(note.contains("The file is kept"), "{note}");
        assert_eq!(store.document_text(&d.latest.id).unwrap(), None);
        assert_eq!(store.document_bytes(&d.latest.id).unwrap().1, pdf);
    }
    // Found by name, not by the text that could not be read.
    assert!(
        store
            .search_documents("indemnification", 10)
            .unwrap()
            .is_empty()
    );
    let by_name = store.search_documents("Schedule", 10).unwrap();
    assert_eq!(by_name.len(), 3);
    let snippet: String = by_name[0].snippet.iter().map(|p| p.text.as_str()).collect();
    assert!(snippet.starts_with("Schedule "), "{by_name:?}");
    // Plain text needs no reader, even a broken one.
    let t = store
        .add_document(&upload(&m, "notes.txt"), b"settlement posture")
        .unwrap();
    assert_eq!(t.latest.text_status, "text");
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn same_bytes_are_stored_once() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let bytes = b"identical exhibit text";
    store.add_document(&upload(&m, "a.txt"), bytes).unwrap();
    store.add_document(&upload(&m, "b.txt"), bytes).unwrap();
    let blobs: i64 = store
        .conn
        .query_row("SELECT count(*) FROM blob", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 1);
}

#[test]
fn document_text_never_reaches_the_disk_in_plaintext() {
    let (dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let marker = "ZEPHYRINE-PRIVILEGED-7731";
    store
        .add_document(&upload(&m, "memo.docx"), &docx_with(&[marker]))
        .unwrap();
    store
        .add_document(&upload(&m, "plain.txt"), marker.as_bytes())
        .unwrap();
    drop(store);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let raw = std::fs::read(&path).unwrap();
            let hay = String::from_utf8_lossy(&raw);
            assert!(!hay.contains(marker), "{} holds the text", path.display());
            assert!(
                !hay.contains("SQLite format 3"),
                "{} is plaintext",
                path.display()
            );
        }
    }
    assert!(dir.path().join(DB_FILE).exists());
}

#[test]
fn bad_uploads_are_refused_and_leave_nothing_behind() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let other = matter(&mut store, "2");
    let e = store
        .add_document(&upload(&m, "empty.txt"), b"")
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("file"));
    let e = store
        .add_document(&upload("no-such-matter", "a.txt"), b"x")
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
    let d = store.add_document(&upload(&m, "a.txt"), b"x").unwrap();
    // A version for a document of another matter.
    let mut wrong = upload(&other, "a.txt");
    wrong.document_id = Some(d.id.clone());
    let e = store.add_document(&wrong, b"y").unwrap_err();
    assert_eq!(e.field.as_deref(), Some("document_id"));
    let mut missing = upload(&m, "a.txt");
    missing.document_id = Some("nope".into());
    assert_eq!(
        store.add_document(&missing, b"y").unwrap_err().code,
        ErrorCode::NotFound
    );
    // A damaged PDF is kept (it is the firm's file) but flagged, with what to do.
    let mut broken = pdf_with("x");
    broken.truncate(30);
    let b = store
        .add_document(&upload(&m, "broken.pdf"), &broken)
        .unwrap();
    assert_eq!(b.latest.text_status, "failed");
    assert!(b.latest.text_note.as_deref().unwrap().contains("new PDF"));
    // Only the two good adds wrote anything.
    assert_eq!(store.list_documents(&m).unwrap().len(), 2);
    assert_eq!(store.list_documents(&other).unwrap().len(), 0);
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn versions_cannot_be_rewritten_and_a_damaged_blob_is_reported() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let d = store
        .add_document(&upload(&m, "a.txt"), b"original")
        .unwrap();
    let e = store
        .conn
        .execute("UPDATE document_version SET sha256 = 'x'", [])
        .unwrap_err();
    assert!(e.to_string().contains("cannot be changed"), "{e}");
    // Damage the stored bytes behind the store's back: reading must say so.
    store
        .conn
        .execute("UPDATE blob_part SET data = CAST('tampered' AS BLOB)", [])
        .unwrap();
    let e = store.document_bytes(&d.latest.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Corrupt);
    assert!(e.message.contains("backup"), "{}", e.message);
    // A part gone is reported the same way.
    store.conn.execute("DELETE FROM blob_part", []).unwrap();
    let e = store.document_bytes(&d.latest.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Corrupt);
}

#[test]
fn reviews_and_disclosures_are_recorded_and_audited() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let d = store
        .add_document(&upload(&m, "deliverable.txt"), b"draft")
        .unwrap();
    let e = store
        .add_review(&ReviewDraft {
            version_id: d.latest.id.clone(),
            outcome: ReviewOutcome::ChangesRequested,
            notes: None,
        })
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("notes"));
    store
        .add_review(&ReviewDraft {
            version_id: d.latest.id.clone(),
            outcome: ReviewOutcome::ChangesRequested,
            notes: Some("Cite the 2024 amendment.".into()),
        })
        .unwrap();
    store
        .add_review(&ReviewDraft {
            version_id: d.latest.id.clone(),
            outcome: ReviewOutcome::Approved,
            notes: None,
        })
        .unwrap();
    let reviews = store.document_reviews(&d.id).unwrap();
    assert_eq!(
        reviews.iter().map(|r| r.outcome).collect::<Vec<_>>(),
        vec![ReviewOutcome::ChangesRequested, ReviewOutcome::Approved]
    );

    let p = store
        .create_provider(&ProviderDraft {
            legal_name: "Lex Outsourcing Pvt Ltd".into(),
            countries: vec!["IN".into()],
            ..Default::default()
        })
        .unwrap();
    let c = store
        .create_consent(
            &ConsentDraft {
                matter_id: m.clone(),
                provider_id: p.id.clone(),
                scope: "document review".into(),
                given_on: "2026-01-05".into(),
                evidence: "engagement letter".into(),
                ..Default::default()
            },
            jiff::civil::date(2026, 12, 1),
        )
        .unwrap();
    let item = DisclosedItem {
        kind: "document_version".into(),
        id: d.latest.id.to_string(),
        sha256: Some(d.latest.sha256.clone()),
        label: None,
    };
    let draft = DisclosureDraft {
        matter_id: m.clone(),
        provider_id: p.id.clone(),
        assignment_id: None,
        consent_id: Some(c.id.clone()),
        items: vec![item],
        decision: DisclosureDecision::Allow,
        reasons: vec!["Consent on file".into()],
        override_reason: None,
        recipients: vec!["12345 67890 13579 24680 11223 34455".into()],
    };
    let rec = store.record_disclosure(&draft).unwrap();
    let bad = DisclosureDraft {
        consent_id: Some("missing".into()),
        ..draft.clone()
    };
    assert_eq!(
        store.record_disclosure(&bad).unwrap_err().code,
        ErrorCode::NotFound
    );
    let ledger = store
        .list_disclosures(&DisclosureFilter {
            provider_id: Some(p.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ledger, vec![rec.clone()]);
    // The ledger is append-only.
    assert!(store.conn.execute("DELETE FROM disclosure", []).is_err());
    assert!(
        store
            .conn
            .execute("UPDATE disclosure SET decision = 'block'", [])
            .is_err()
    );
    let history = store.audit_history("matter", &m).unwrap();
    assert!(history.iter().any(|r| r.action == "disclosure.record"));
    let doc_history = store.audit_history("document", &d.id).unwrap();
    assert_eq!(
        doc_history
            .iter()
            .map(|r| r.action.as_str())
            .collect::<Vec<_>>(),
        vec!["document.create", "document.review", "document.review"]
    );
    // The matter's history shows what happened on it, not only to it.
    let whole: Vec<String> = store
        .matter_history(&m)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    // The history is read through the audit_matter index.
    let plan: String = store
        .conn
        .query_row(
            "EXPLAIN QUERY PLAN SELECT seq FROM audit WHERE matter_id = ?1 ORDER BY seq DESC LIMIT 10",
            [&m],
            |r| r.get(3),
        )
        .unwrap();
    assert!(plan.contains("audit_matter"), "{plan}");
    for action in [
        "matter.create",
        "document.create",
        "document.review",
        "consent.create",
        "disclosure.record",
    ] {
        assert!(
            whole.iter().any(|a| a == action),
            "{action} missing from {whole:?}"
        );
    }
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn a_full_disk_fails_the_add_cleanly_and_keeps_what_was_there() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    store
        .add_document(&upload(&m, "kept.txt"), b"kept")
        .unwrap();
    // Cap the database at its current size: SQLite then fails writes with
    // SQLITE_FULL, the same error a full disk gives.
    let pages: i64 = store
        .conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn
        .execute_batch(&format!("PRAGMA max_page_count = {pages}"))
        .unwrap();
    let big = vec![b'a'; 2 * 1024 * 1024];
    let e = store
        .add_document(&upload(&m, "big.txt"), &big)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Io);
    assert!(e.message.contains("disk is full"), "{}", e.message);
    assert_eq!(store.list_documents(&m).unwrap().len(), 1);
    let ok: String = store
        .conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn a_saved_copy_is_written_checked_and_recorded() {
    let (dir, mut store) = fresh();
    let m = matter(&mut store, "2026-0142");
    let doc = store
        .add_document(&upload(&m, "memo.txt"), b"privileged memo")
        .unwrap();
    let v = doc.latest.clone();
    let out = TempDir::new().unwrap();
    let copy = out.path().join("memo.txt");
    let (version, bytes) = store
        .save_document_copy(&v.id, &copy, crate::Existing::Refuse)
        .unwrap();
    assert_eq!((version.id.as_str(), bytes), (v.id.as_str(), 15));
    assert_eq!(std::fs::read(&copy).unwrap(), b"privileged memo");

    let saved: Vec<_> = store
        .matter_history(&m)
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "document.save_copy")
        .collect();
    assert_eq!(saved.len(), 1, "the matter's history shows the copy");
    assert_eq!(saved[0].entity, "document");
    assert_eq!(saved[0].entity_id, doc.id);
    assert_eq!(saved[0].detail["version_id"], v.id.as_str());
    assert_eq!(saved[0].detail["sha256"], v.sha256.as_str());
    let head: crate::AuditHead =
        serde_json::from_slice(&std::fs::read(dir.path().join(crate::audit::HEAD_FILE)).unwrap())
            .unwrap();
    assert_eq!(head, store.audit_head().unwrap().unwrap());

    // The file is there now: without the person's agreement it stays as it is.
    std::fs::write(&copy, b"edited since").unwrap();
    let e = store
        .save_document_copy(&v.id, &copy, crate::Existing::Refuse)
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("path"));
    assert_eq!(std::fs::read(&copy).unwrap(), b"edited since");
    store
        .save_document_copy(&v.id, &copy, crate::Existing::Replace)
        .unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), b"privileged memo");
    // No folder, no copy, no record.
    let nowhere = out.path().join("gone").join("memo.txt");
    assert!(
        store
            .save_document_copy(&v.id, &nowhere, crate::Existing::Replace)
            .is_err()
    );
    let count = store
        .audit_history("document", &doc.id)
        .unwrap()
        .iter()
        .filter(|r| r.action == "document.save_copy")
        .count();
    assert_eq!(count, 2);
    assert!(store.audit_verify().unwrap().intact);
}

#[test]
fn the_store_check_names_a_file_missing_a_part_and_parts_of_no_file() {
    let (_dir, mut store) = fresh();
    let m = matter(&mut store, "1");
    let bytes: Vec<u8> = (0..(2 * 1024 * 1024 + 10))
        .map(|i| (i % 253) as u8)
        .collect();
    store.add_document(&upload(&m, "scan.bin"), &bytes).unwrap();
    let check = store.check().unwrap();
    assert!(check.ok() && check.files.is_empty(), "{check:?}");

    store
        .conn
        .execute("DELETE FROM blob_part WHERE n = 1", [])
        .unwrap();
    let check = store.check().unwrap();
    assert!(!check.ok());
    assert_eq!(check.files.len(), 1, "{check:?}");
    assert!(
        check.files[0].contains(&format!("of its {} bytes", bytes.len())),
        "{check:?}"
    );

    store
        .conn
        .execute(
            "INSERT INTO blob_part (parts, n, data) VALUES (999, 0, x'00')",
            [],
        )
        .unwrap();
    let check = store.check().unwrap();
    assert!(
        check
            .files
            .iter()
            .any(|f| f.starts_with("1 file parts belong to no file")),
        "{check:?}"
    );
}
