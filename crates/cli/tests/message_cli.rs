//! `mandate message add|list` as a script would use them: the `--json` contract of
//! docs/cli.md, paging with `--before`, exit codes and one-line errors.
//!
//! The store is a passphrase store, so these run without a keyring.

use serde_json::Value;

mod common;

use common::passphrase::{fails_with, mandate, mandate_with_stdin, ok_json};

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn messages_add_and_list_with_the_json_contract_and_paging() {
    let dir = tempfile::tempdir().unwrap();
    let d = &dir.path().join("store");
    let m = ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-001",
            "--title",
            "Acme v. Widget",
            "--client",
            "Acme Corp",
            "--json",
        ],
    );

    let first = ok_json(
        d,
        &[
            "message",
            "add",
            "--matter",
            "2026-001",
            "--author",
            "Jane Smith",
            "--body",
            "Call with the GC.",
            "--sent-at",
            "2026-03-02T09:05:00-05:00",
            "--json",
        ],
    );
    assert_eq!(
        keys(&first),
        [
            "author",
            "body",
            "created_at",
            "delivery",
            "from_side",
            "id",
            "matter_id",
            "revision",
            "sent_at"
        ],
        "documented fields, no more, no fewer"
    );
    assert_eq!(first["matter_id"], m["id"]);
    assert_eq!(first["sent_at"], "2026-03-02T14:05:00.000Z");

    // By the matter's id, with the body from a file, then from standard input.
    let file = dir.path().join("note.txt");
    std::fs::write(&file, "Line one.\nLine two.\n").unwrap();
    let second = ok_json(
        d,
        &[
            "message",
            "add",
            "--matter",
            m["id"].as_str().unwrap(),
            "--author",
            "Raj Patel",
            "--body-file",
            file.to_str().unwrap(),
            "--sent-at",
            "2026-03-03T10:00:00Z",
            "--json",
        ],
    );
    assert_eq!(second["body"], "Line one.\nLine two.");
    let out = mandate_with_stdin(
        d,
        &[
            "message",
            "add",
            "--matter",
            "2026-001",
            "--author",
            "Jane Smith",
            "--body-file",
            "-",
            "--sent-at",
            "2026-03-04T10:00:00Z",
            "--json",
        ],
        Some("From stdin."),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(third["body"], "From stdin.");

    // Newest first, two per page; `next` names where the page ended.
    let page = ok_json(
        d,
        &[
            "message", "list", "--matter", "2026-001", "--limit", "2", "--json",
        ],
    );
    assert_eq!(keys(&page), ["items", "next"]);
    assert_eq!(page["items"], serde_json::json!([third, second]));
    assert_eq!(
        page["next"],
        serde_json::json!({"sent_at": second["sent_at"], "id": second["id"]})
    );
    let older = ok_json(
        d,
        &[
            "message",
            "list",
            "--matter",
            "2026-001",
            "--limit",
            "2",
            "--before",
            page["next"]["id"].as_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(older["items"], serde_json::json!([first]));
    assert_eq!(older["next"], Value::Null);

    // Text output says how to get the older page.
    let out = mandate(
        d,
        &["message", "list", "--matter", "2026-001", "--limit", "1"],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Jane Smith"), "{text}");
    assert!(text.contains("--before"), "{text}");

    fails_with(
        d,
        &[
            "message", "add", "--matter", "2026-001", "--author", "J", "--body", "  ",
        ],
        "Write the message",
    );
    fails_with(
        d,
        &[
            "message", "add", "--matter", "2026-001", "--author", " ", "--body", "x",
        ],
        "who wrote the message",
    );
    fails_with(
        d,
        &[
            "message",
            "add",
            "--matter",
            "2026-001",
            "--author",
            "J",
            "--body",
            "x",
            "--sent-at",
            "tuesday",
        ],
        "RFC 3339",
    );
    fails_with(
        d,
        &["message", "list", "--matter", "2099-999"],
        "No matter has the number or id 2099-999",
    );
    fails_with(
        d,
        &[
            "message", "list", "--matter", "2026-001", "--before", "nope",
        ],
        "message does not exist",
    );
    // Neither --body nor --body-file: a usage error, exit 2.
    let out = mandate(
        d,
        &["message", "add", "--matter", "2026-001", "--author", "J"],
    );
    assert_eq!(out.status.code(), Some(2));
}
