//! `mandate assignment` as a script or a provider would use it: the `--json`
//! contract of docs/cli.md, each side's moves, exit codes and one-line errors.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, keys, mandate, matter_and_provider, ok_json};

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn assignments_add_show_list_and_move_as_each_side() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    matter_and_provider(d);
    let a = ok_json(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-001",
            "--provider",
            "Lex Review Pvt Ltd",
            "--scope",
            "First-level review",
            "--due-on",
            "2026-04-15",
            "--budget",
            "20,000",
            "--currency",
            "usd",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    assert_eq!(
        keys(&a),
        [
            "billing_mode",
            "budget",
            "created_at",
            "due_on",
            "id",
            "instructions",
            "matter_id",
            "owner",
            "provider_id",
            "revision",
            "scope",
            "status",
            "supervising_attorney",
            "updated_at"
        ]
    );
    assert_eq!(
        (a["status"].clone(), a["owner"].clone(), a["budget"].clone()),
        (
            "draft".into(),
            "firm".into(),
            serde_json::json!({"minor": 2_000_000, "currency": "USD", "text": "USD 20,000.00", "amount": "20000.00"})
        )
    );
    let id = a["id"].as_str().unwrap();
    assert_eq!(ok_json(d, &["assignment", "show", id, "--json"]), a);

    fails_with(
        d,
        &["assignment", "move", id, "--to", "sent", "--as", "provider"],
        "Only the firm",
    );
    let sent = ok_json(
        d,
        &[
            "assignment",
            "move",
            id,
            "--to",
            "sent",
            "--as",
            "firm",
            "--json",
        ],
    );
    assert_eq!(
        (sent["status"].clone(), sent["revision"].clone()),
        ("sent".into(), 2.into())
    );
    fails_with(
        d,
        &["assignment", "move", id, "--to", "accepted", "--as", "firm"],
        "Only the provider",
    );
    ok_json(
        d,
        &[
            "assignment",
            "move",
            id,
            "--to",
            "accepted",
            "--as",
            "provider",
            "--json",
        ],
    );
    fails_with(
        d,
        &["assignment", "move", id, "--to", "approved", "--as", "firm"],
        "cannot move from accepted to approved",
    );

    let list = ok_json(d, &["assignment", "list", "--status", "accepted", "--json"]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], a["id"]);
    assert_eq!(
        ok_json(d, &["assignment", "list", "--status", "draft", "--json"])["total"],
        0
    );

    fails_with(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-001",
            "--provider",
            "Lex Review Pvt Ltd",
            "--scope",
            "x",
            "--due-on",
            "2026-04-31",
            "--supervisor",
            "J",
        ],
        "not a real date",
    );
    fails_with(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-001",
            "--provider",
            "Lex Review Pvt Ltd",
            "--scope",
            "x",
            "--due-on",
            "2026-04-30",
            "--supervisor",
            "J",
            "--budget",
            "100",
        ],
        "currency",
    );
    let audit = ok_json(d, &["audit", "verify", "--json"]);
    assert_eq!(audit["intact"], true);
}

#[test]
fn a_mistyped_side_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = mandate(
        dir.path(),
        &["assignment", "move", "x", "--to", "sent", "--as", "client"],
    );
    assert_eq!(out.status.code(), Some(2));
}
