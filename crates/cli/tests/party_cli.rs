//! `mandate party` as a script would use it: the `--json` contract of docs/cli.md,
//! exit codes and one-line errors.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, keys, matter_and_provider, ok_json};
use serde_json::Value;

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn parties_add_list_show_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    matter_and_provider(d);
    let p = ok_json(
        d,
        &[
            "party",
            "add",
            "--name",
            "Widget GmbH",
            "--kind",
            "organisation",
            "--alias",
            "Widget Werke",
            "--json",
        ],
    );
    assert_eq!(
        keys(&p),
        [
            "aliases",
            "created_at",
            "id",
            "kind",
            "name",
            "revision",
            "updated_at"
        ]
    );
    assert_eq!(p["kind"], "organisation");
    let id = p["id"].as_str().unwrap();
    assert_eq!(ok_json(d, &["party", "show", id, "--json"]), p);
    let found = ok_json(d, &["party", "list", "--query", "werke", "--json"]);
    assert_eq!(
        (found["total"].clone(), found["items"][0].clone()),
        (Value::from(1), p.clone())
    );

    let link = ok_json(
        d,
        &[
            "party", "link", "--matter", "2026-001", "--party", id, "--role", "adverse", "--json",
        ],
    );
    assert_eq!(
        keys(&link),
        [
            "created_at",
            "id",
            "matter_id",
            "party_id",
            "party_kind",
            "party_name",
            "revision",
            "role",
            "updated_at"
        ]
    );
    assert_eq!(
        (link["role"].clone(), link["party_name"].clone()),
        (Value::from("adverse"), Value::from("Widget GmbH"))
    );

    fails_with(
        d,
        &[
            "party", "link", "--matter", "2026-001", "--party", id, "--role", "adverse",
        ],
        "already linked",
    );
    fails_with(
        d,
        &[
            "party", "link", "--matter", "2026-001", "--party", id, "--role", "judge",
        ],
        "Unknown role",
    );
    fails_with(
        d,
        &[
            "party", "link", "--matter", "2099-999", "--party", id, "--role", "client",
        ],
        "No matter has the number",
    );
    fails_with(
        d,
        &[
            "party", "link", "--matter", "2026-001", "--party", "nope", "--role", "client",
        ],
        "party does not exist",
    );
    fails_with(
        d,
        &["party", "add", "--name", " ", "--kind", "person"],
        "Enter the party's name",
    );
}
