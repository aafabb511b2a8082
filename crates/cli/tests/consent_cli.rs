//! `mandate consent` as a script would use it: the `--json` contract of
//! docs/cli.md, exit codes and one-line errors.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, keys, matter_and_provider, ok_json};

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn consents_add_and_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = matter_and_provider(d);
    let c = ok_json(
        d,
        &[
            "consent",
            "add",
            "--matter",
            "2026-001",
            "--provider",
            "Lex Review Pvt Ltd",
            "--scope",
            "Document review",
            "--data-class",
            "protective_order",
            "--data-class",
            "eu_uk_personal_data",
            "--country",
            "in",
            "--given-on",
            "2026-03-02",
            "--evidence",
            "Email from GC, DMS 4411",
            "--json",
        ],
    );
    assert_eq!(
        keys(&c),
        [
            "ai_use_evidence",
            "countries",
            "covers_ai_use",
            "created_at",
            "data_classes",
            "evidence",
            "given_on",
            "id",
            "matter_id",
            "provider_id",
            "revision",
            "scope",
            "updated_at"
        ]
    );
    assert_eq!(
        c["data_classes"],
        serde_json::json!(["eu_uk_personal_data", "protective_order"])
    );
    assert_eq!(c["provider_id"], p["id"]);
    assert_eq!(
        ok_json(d, &["consent", "list", "--matter", "2026-001", "--json"]),
        serde_json::json!([c])
    );

    let base = [
        "consent",
        "add",
        "--matter",
        "2026-001",
        "--provider",
        "Lex Review Pvt Ltd",
        "--scope",
        "Review",
        "--evidence",
        "Letter",
    ];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        base.iter().copied().chain(extra.iter().copied()).collect()
    };
    fails_with(d, &with(&["--given-on", "2199-01-01"]), "in the future");
    fails_with(
        d,
        &with(&["--given-on", "2026-03-02", "--country", "ZZ"]),
        "not an ISO 3166-1 country code",
    );
    fails_with(
        d,
        &with(&["--given-on", "2026-03-02", "--data-class", "pii"]),
        "Unknown data class",
    );
    fails_with(
        d,
        &[
            "consent",
            "add",
            "--matter",
            "2026-001",
            "--provider",
            "Nobody",
            "--scope",
            "x",
            "--given-on",
            "2026-03-02",
            "--evidence",
            "e",
        ],
        "No provider",
    );
}
