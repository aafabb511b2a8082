//! `mandate document ...`, `mandate search` over document text and `mandate
//! disclosure list`, on a passphrase store (no keyring needed).

use mandate_extract::fixtures::{docx_with, pdf_with};
use serde_json::Value;

mod common;

use common::passphrase::{mandate, ok, ok_json};

#[test]
fn documents_are_added_versioned_searched_read_back_and_reviewed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("store");
    let files = tmp.path().join("files");
    std::fs::create_dir(&files).unwrap();
    ok(
        &d,
        &[
            "matter",
            "add",
            "--number",
            "2026-007",
            "--title",
            "Estate of Vance",
            "--client",
            "R. Vance",
        ],
    );
    let pdf = files.join("Inventory.pdf");
    std::fs::write(&pdf, pdf_with("Schedule of heirloom appraisals")).unwrap();
    let docx = files.join("Letter.docx");
    std::fs::write(&docx, docx_with(&["Dear executor", "probate bond"])).unwrap();

    let doc = ok_json(
        &d,
        &[
            "document",
            "add",
            "--matter",
            "2026-007",
            pdf.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(doc["title"], "Inventory");
    assert_eq!(doc["latest"]["version"], 1);
    assert_eq!(doc["latest"]["text_status"], "text");
    let id = doc["id"].as_str().unwrap().to_owned();
    ok(
        &d,
        &[
            "document",
            "add",
            "--matter",
            "2026-007",
            docx.to_str().unwrap(),
        ],
    );
    let v2 = files.join("Inventory v2.pdf");
    let v2_bytes = pdf_with("Amended schedule of heirloom appraisals");
    std::fs::write(&v2, &v2_bytes).unwrap();
    let doc2 = ok_json(
        &d,
        &[
            "document",
            "add",
            "--matter",
            "2026-007",
            "--document",
            &id,
            v2.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(doc2["latest"]["version"], 2);

    let list = ok_json(&d, &["document", "list", "--matter", "2026-007", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);

    let found = ok_json(&d, &["search", "heirloom", "--json"]);
    assert_eq!(found["documents"].as_array().unwrap().len(), 1);
    assert_eq!(found["documents"][0]["document_id"], id.as_str());
    // JSON gives the snippet in pieces, the matched word marked; text puts it in brackets.
    let pieces = found["documents"][0]["snippet"].as_array().unwrap();
    assert!(
        pieces
            .iter()
            .any(|p| p["hit"] == true
                && p["text"].as_str().unwrap().eq_ignore_ascii_case("heirloom")),
        "{pieces:?}"
    );
    let text = ok(&d, &["search", "probate"]);
    assert!(text.contains("document  2026-007 Letter.docx v1"), "{text}");
    assert!(text.contains("[probate] bond"), "{text}");

    // A version comes back byte for byte.
    let version_id = doc2["latest"]["id"].as_str().unwrap();
    let out = files.join("copy.pdf");
    ok(
        &d,
        &[
            "document",
            "get",
            version_id,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(std::fs::read(&out).unwrap(), v2_bytes);

    // Reviews: changes requested needs notes; both show on the document.
    let err = mandate(
        &d,
        &[
            "document",
            "review",
            version_id,
            "--outcome",
            "changes_requested",
        ],
    );
    assert_eq!(err.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&err.stderr).contains("Say what needs to change"));
    ok(
        &d,
        &["document", "review", version_id, "--outcome", "approved"],
    );
    let show = ok_json(&d, &["document", "show", &id, "--json"]);
    assert_eq!(show["versions"].as_array().unwrap().len(), 2);
    assert_eq!(show["reviews"][0]["outcome"], "approved");

    // The ledger is empty until something is sent, and says so.
    assert!(ok(&d, &["disclosure", "list"]).contains("Nothing has been disclosed"));
    assert_eq!(
        ok_json(&d, &["disclosure", "list", "--json"]),
        Value::Array(vec![])
    );
    let audit = ok(&d, &["audit", "verify"]);
    assert!(audit.to_lowercase().contains("intact"), "{audit}");
}

#[test]
fn unreadable_and_oversize_files_are_refused_with_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("store");
    ok(
        &d,
        &[
            "matter", "add", "--number", "1", "--title", "T", "--client", "C",
        ],
    );
    let missing = tmp.path().join("nope.pdf");
    let out = mandate(
        &d,
        &[
            "document",
            "add",
            "--matter",
            "1",
            missing.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("Could not read") && err.trim_end().lines().count() == 1,
        "{err}"
    );
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = mandate(
        &d,
        &["document", "add", "--matter", "1", empty.to_str().unwrap()],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty"));
    let out = mandate(&d, &["document", "list", "--matter", "1", "--json"]);
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        Value::Array(vec![])
    );
}

/// `mandate document add` reads PDFs in a child process (the `mandate` binary
/// re-run as a reader). A PDF that overflows the reader's stack, one that would
/// fill memory and one whose panic message quotes it are each stored, flagged with
/// a note, and the command succeeds; nothing of the file reaches the terminal.
#[test]
fn hostile_pdfs_are_stored_without_their_text_and_the_command_lives_on() {
    use mandate_extract::fixtures::{
        pdf_flate_bomb, pdf_self_drawing_form, pdf_with_string_in_differences,
    };
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("store");
    ok(
        &d,
        &[
            "matter", "add", "--number", "1", "--title", "T", "--client", "C",
        ],
    );
    let marker = "PrivilegedMarkerQ7";
    let cases = [
        ("Loop.pdf", pdf_self_drawing_form(), "crashed"),
        // 2 GiB of spaces: past the reader's 1 GiB (+4× the file) of address space.
        ("Bomb.pdf", pdf_flate_bomb(2 << 30), "too much memory"),
        (
            "Quote.pdf",
            pdf_with_string_in_differences(&format!("{marker} settlement")),
            "damaged",
        ),
    ];
    for (name, bytes, says) in cases {
        let file = tmp.path().join(name);
        std::fs::write(&file, &bytes).unwrap();
        let out = mandate(
            &d,
            &[
                "document",
                "add",
                "--matter",
                "1",
                file.to_str().unwrap(),
                "--json",
            ],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(
            !stderr.contains(marker) && !stdout.contains(marker),
            "{name}"
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["latest"]["text_status"], "failed", "{name}");
        let note = doc["latest"]["text_note"].as_str().unwrap();
        assert!(note.contains(says), "{name}: {note}");
    }
    // All three are kept, and the next good PDF is read as before.
    let good = tmp.path().join("Good.pdf");
    std::fs::write(&good, pdf_with("Schedule of heirloom appraisals")).unwrap();
    let doc = ok_json(
        &d,
        &[
            "document",
            "add",
            "--matter",
            "1",
            good.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(doc["latest"]["text_status"], "text");
    let list = ok_json(&d, &["document", "list", "--matter", "1", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 4);
    let hits = ok_json(&d, &["search", "heirloom", "--json"]);
    assert_eq!(hits["documents"].as_array().unwrap().len(), 1);
    let hits = ok_json(&d, &["search", "Bomb", "--json"]);
    assert_eq!(hits["documents"].as_array().unwrap().len(), 1);
}
