//! The sensitive-number scan on what is about to be shared: found, kept by a named
//! person, or redacted into a new version; the send guard counts what is left.

use mandate_core::exchange::ShareRequest;
use mandate_core::scan::HitKind;
use mandate_core::{AssignmentDraft, DocumentUpload, ErrorCode, MatterDraft, ProviderDraft};
use tempfile::TempDir;

use crate::{MemoryVault, Store};

fn store_with_a_document(
    text: &str,
) -> (
    TempDir,
    Store,
    mandate_core::AssignmentId,
    mandate_core::VersionId,
) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
    let m = store
        .create_matter(&MatterDraft {
            number: "S-1".into(),
            title: "Scan matter".into(),
            client_name: "Client".into(),
            ..Default::default()
        })
        .unwrap();
    let p = store
        .create_provider(&ProviderDraft {
            legal_name: "Lexwell Review Ltd".into(),
            ..Default::default()
        })
        .unwrap();
    let a = store
        .create_assignment(&AssignmentDraft {
            matter_id: m.id.clone(),
            provider_id: p.id.clone(),
            scope: "Review the intake file".into(),
            due_on: "2027-02-01".into(),
            supervising_attorney: "Jane Smith".into(),
            ..Default::default()
        })
        .unwrap();
    let d = store
        .add_document(
            &DocumentUpload {
                matter_id: m.id.clone(),
                file_name: "Intake.txt".into(),
                ..Default::default()
            },
            text.as_bytes(),
        )
        .unwrap();
    (dir, store, a.id, d.latest.id)
}

fn rules(store: &Store, req: &ShareRequest) -> Vec<String> {
    store
        .guard_check(req, "2026-12-01")
        .unwrap()
        .reasons
        .into_iter()
        .map(|r| r.rule)
        .collect()
}

const INTAKE: &str = "Client intake, Case No. 2:19-cr-00045. Claimant SSN 123-45-6789; born March 3, 1961. Call (212) 555-0142.";

#[test]
fn a_number_found_blocks_until_a_named_person_keeps_it() {
    let (_dir, mut store, assignment, version) = store_with_a_document(INTAKE);
    let req = ShareRequest {
        assignment_id: assignment.clone(),
        document_versions: vec![version.clone()],
        ..Default::default()
    };
    let scans = store.scan_share(&req).unwrap();
    let kinds: Vec<HitKind> = scans[0].findings.iter().map(|f| f.hit.kind).collect();
    assert_eq!(
        kinds,
        [HitKind::Ssn, HitKind::DateOfBirth, HitKind::Phone],
        "the case number is not a hit"
    );
    assert!(rules(&store, &req).contains(&"scan.unresolved".to_owned()));

    let e = store
        .keep_scan_hit(&assignment, &version, "123-45-6789", " ")
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("kept_by"));
    for f in &scans[0].findings {
        store
            .keep_scan_hit(&assignment, &version, &f.hit.text, "Jane Smith")
            .unwrap();
    }
    let scans = store.scan_share(&req).unwrap();
    assert!(
        scans[0]
            .findings
            .iter()
            .all(|f| f.kept_by.as_deref() == Some("Jane Smith"))
    );
    assert!(!rules(&store, &req).contains(&"scan.unresolved".to_owned()));
    // The number itself is not what is kept.
    let stored: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM scan_keep WHERE hit_sha256 LIKE '%6789%' OR kept_by LIKE '%6789%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0);
    // Nor its plain SHA-256, which trying every SSN would reverse: a keyed hash.
    let plain = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"123-45-6789"));
    let plain_kept: i64 = store
        .conn
        .query_row(
            "SELECT count(*) FROM scan_keep WHERE hit_sha256 = ?1",
            [&plain],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plain_kept, 0);

    // A decision recorded before the keyed hash (the plain SHA-256) still holds.
    store
        .conn
        .execute(
            "UPDATE scan_keep SET hit_sha256 = ?1 WHERE rowid = (SELECT min(rowid) FROM scan_keep)",
            [&plain],
        )
        .unwrap();
    let scans = store.scan_share(&req).unwrap();
    let ssn = scans[0]
        .findings
        .iter()
        .find(|f| f.hit.text == "123-45-6789")
        .unwrap();
    assert_eq!(ssn.kept_by.as_deref(), Some("Jane Smith"));
}

#[test]
fn redacting_makes_a_new_version_without_the_numbers_and_leaves_the_original() {
    let (_dir, mut store, assignment, version) = store_with_a_document(INTAKE);
    let redacted = store.redact_document_version(&version).unwrap();
    assert_ne!(redacted.id, version);
    assert_eq!(redacted.version, 2);
    assert_eq!(redacted.file_name, "Intake (redacted).txt");
    let text = store.document_text(&redacted.id).unwrap().unwrap();
    assert!(
        text.starts_with("Redacted copy of Intake.txt (version 1)"),
        "{text}"
    );
    assert!(text.contains("[REDACTED SSN]"), "{text}");
    assert!(
        !text.contains("123-45-6789") && !text.contains("555-0142"),
        "{text}"
    );
    assert!(text.contains("2:19-cr-00045"), "the rest stays: {text}");
    assert_eq!(
        store.document_text(&version).unwrap().unwrap(),
        INTAKE,
        "the original is untouched"
    );
    let req = ShareRequest {
        assignment_id: assignment,
        document_versions: vec![redacted.id.clone()],
        ..Default::default()
    };
    assert_eq!(store.scan_share(&req).unwrap()[0].open(), 0);
    assert!(!rules(&store, &req).contains(&"scan.unresolved".to_owned()));
    // Nothing left to redact.
    let e = store.redact_document_version(&redacted.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
}
