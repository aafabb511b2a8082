//! The `mandate` binary as a script or a provider would use it: exit codes, the
//! one-line errors, and the `--json` contract of docs/cli.md.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run by scripts/test.sh inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, mandate, ok_json};
use serde_json::Value;

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn matter_add_list_show_edit_close_with_the_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
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
            "--court",
            "D. Del.",
            "--opened-on",
            "2026-03-02",
            "--json",
        ],
    );
    assert_eq!(m["number"], "2026-001");
    assert_eq!(m["status"], "open");
    assert_eq!(m["court"], "D. Del.");
    assert_eq!(m["practice_area"], Value::Null);
    assert_eq!(m["revision"], 1);
    let keys: Vec<_> = m.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "allowed_countries",
            "client_name",
            "court",
            "created_at",
            "data_classes",
            "id",
            "jurisdiction",
            "number",
            "opened_on",
            "practice_area",
            "revision",
            "status",
            "supervising_attorney",
            "title",
            "updated_at"
        ],
        "documented fields, no more, no fewer"
    );
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-002",
            "--title",
            "Lease review",
            "--client",
            "Zenith",
            "--json",
        ],
    );

    let list = ok_json(d, &["matter", "list", "--json"]);
    assert_eq!(list["total"], 2);
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let found = ok_json(d, &["matter", "list", "--query", "zen", "--json"]);
    assert_eq!(found["items"][0]["number"], "2026-002");
    assert_eq!(found["total"], 1);

    let shown = ok_json(d, &["matter", "show", "2026-001", "--json"]);
    assert_eq!(shown, m);

    let edited = ok_json(
        d,
        &[
            "matter",
            "edit",
            "2026-001",
            "--title",
            "Acme v. Widget II",
            "--court",
            "",
            "--json",
        ],
    );
    assert_eq!(
        (
            edited["title"].as_str(),
            &edited["court"],
            &edited["revision"]
        ),
        (Some("Acme v. Widget II"), &Value::Null, &Value::from(2))
    );

    assert!(
        mandate(d, &["matter", "close", "2026-001"])
            .status
            .success()
    );
    let open = ok_json(d, &["matter", "list", "--status", "open", "--json"]);
    assert_eq!(open["total"], 1);

    // Two matters opened (each with its conflict check against the other matters), an
    // edit and a close.
    let report = ok_json(d, &["audit", "verify", "--json"]);
    assert_eq!(
        report,
        serde_json::json!({"records": 6, "intact": true, "first_broken": null, "head_problem": null})
    );
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn bad_input_exits_non_zero_with_one_line_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter", "add", "--number", "N-1", "--title", "T", "--client", "C", "--json",
        ],
    );
    fails_with(
        d,
        &[
            "matter", "add", "--number", "n-1", "--title", "T", "--client", "C",
        ],
        "already in use",
    );
    fails_with(
        d,
        &[
            "matter", "add", "--number", "N-2", "--title", " ", "--client", "C",
        ],
        "Enter a title",
    );
    fails_with(
        d,
        &[
            "matter",
            "add",
            "--number",
            "N-3",
            "--title",
            "T",
            "--client",
            "C",
            "--opened-on",
            "2026-02-30",
        ],
        "YYYY-MM-DD",
    );
    fails_with(
        d,
        &["matter", "show", "N-404"],
        "No matter has the number or id N-404",
    );
    // Nothing above was written.
    assert_eq!(ok_json(d, &["matter", "list", "--json"])["total"], 1);
}

#[test]
fn a_mistyped_command_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = mandate(dir.path(), &["matter", "ad"]);
    assert_eq!(out.status.code(), Some(2));
    // Usage errors never create a store.
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
