//! `mandate guard check`: the send guard's decision from what the store holds, with
//! each reason and what would satisfy it; exit 4 on a block.

mod common;

use common::passphrase::{mandate, ok_json};
use serde_json::Value;

fn rules(v: &Value) -> Vec<String> {
    v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_guard_names_what_is_missing_and_forgets_what_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-020",
            "--title",
            "Lease review",
            "--client",
            "Wexley Holdings",
            "--json",
        ],
    );
    ok_json(
        d,
        &["provider", "add", "--name", "Lexwell Review Ltd", "--json"],
    );
    let a = ok_json(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-020",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Review",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    let id = a["id"].as_str().unwrap();

    let out = mandate(d, &["guard", "check", "--assignment", id, "--json"]);
    assert_eq!(out.status.code(), Some(4), "a block exits 4");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "block");
    let before = rules(&v);
    for rule in [
        "consent.missing",
        "provider.countries_unknown",
        "diligence.incomplete",
        "diligence.review_date",
        "provider.nda",
        "conflict.unchecked",
        "matter.supervisor",
    ] {
        assert!(
            before.contains(&rule.to_owned()),
            "{rule} missing from {before:?}"
        );
    }
    assert!(
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| !r["fix"].as_str().unwrap().is_empty())
    );

    // Record the provider's file and the client's consent: those reasons go away.
    ok_json(
        d,
        &[
            "provider",
            "add",
            "--name",
            "Lexwell Review Pvt Ltd",
            "--country",
            "IN",
            "--diligence-done",
            "security questionnaire: DMS 4411",
            "--diligence-review-on",
            "2099-01-01",
            "--nda-signed-on",
            "2026-01-02",
            "--ai-use",
            "none",
            "--json",
        ],
    );
    let a2 = ok_json(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-020",
            "--provider",
            "Lexwell Review Pvt Ltd",
            "--scope",
            "Review",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    ok_json(
        d,
        &[
            "consent",
            "add",
            "--matter",
            "2026-020",
            "--provider",
            "Lexwell Review Pvt Ltd",
            "--scope",
            "Review",
            "--country",
            "IN",
            "--given-on",
            "2026-01-03",
            "--evidence",
            "email from the GC",
            "--json",
        ],
    );
    let out = mandate(
        d,
        &[
            "guard",
            "check",
            "--assignment",
            a2["id"].as_str().unwrap(),
            "--json",
        ],
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let after = rules(&v);
    for rule in [
        "consent.missing",
        "provider.countries_unknown",
        "diligence.incomplete",
        "diligence.review_date",
        "provider.nda",
        "provider.ai_use_undeclared",
    ] {
        assert!(
            !after.contains(&rule.to_owned()),
            "{rule} still in {after:?}"
        );
    }
    // What the store cannot record yet still blocks, and says so.
    assert!(
        after.contains(&"conflict.unchecked".to_owned()),
        "{after:?}"
    );
    assert_eq!(out.status.code(), Some(4));
}
