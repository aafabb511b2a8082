//! `mandate provider|party|consent|assignment` as a script or a provider would use
//! them: the `--json` contract of docs/cli.md, exit codes and one-line errors.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, mandate, ok_json};
use serde_json::Value;
use std::path::Path;

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// A store holding matter 2026-001 and provider "Lex Review Pvt Ltd".
fn matter_and_provider(d: &Path) -> Value {
    ok_json(
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
    ok_json(
        d,
        &[
            "provider",
            "add",
            "--name",
            "Lex Review Pvt Ltd",
            "--country",
            "in",
            "--country",
            "PH",
            "--service",
            "Document review",
            "--rate",
            "Document review:45.00:usd",
            "--contact",
            "Priya Rao <priya@lexreview.in>",
            "--diligence",
            "Background checks",
            "--diligence-done",
            "ISO 27001: certificate in DMS",
            "--nda-signed-on",
            "2026-01-05",
            "--ai-use",
            "none",
            "--conflict",
            "Widget GmbH",
            "--notes",
            "Night shift available",
            "--json",
        ],
    )
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn providers_add_list_show_with_the_json_contract() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = matter_and_provider(d);
    assert_eq!(p["countries"], serde_json::json!(["IN", "PH"]));
    assert_eq!(
        p["rates"],
        serde_json::json!([{"service": "Document review", "minor_per_hour": 4500, "currency": "USD"}])
    );
    assert_eq!(p["contacts"][0]["email"], "priya@lexreview.in");
    assert_eq!(
        p["diligence"][1],
        serde_json::json!({"item": "ISO 27001", "done": true, "evidence": "certificate in DMS"})
    );
    assert_eq!(
        (p["nda_on_file"].clone(), p["baa_on_file"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    assert_eq!(p["ai_use"], "none");
    assert_eq!(
        keys(&p),
        [
            "ai_use",
            "ai_use_detail",
            "baa_on_file",
            "baa_signed_on",
            "conflicts",
            "contacts",
            "countries",
            "created_at",
            "diligence",
            "diligence_review_on",
            "export_clearance",
            "id",
            "legal_name",
            "nda_on_file",
            "nda_signed_on",
            "notes",
            "rates",
            "revision",
            "services",
            "transfer_mechanism_on_file",
            "transfer_mechanism_signed_on",
            "updated_at"
        ],
        "documented fields, no more, no fewer"
    );
    let list = ok_json(d, &["provider", "list", "--query", "night", "--json"]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0], p);
    let none = ok_json(d, &["provider", "list", "--country", "GB", "--json"]);
    assert_eq!(none["total"], 0);
    assert_eq!(
        ok_json(d, &["provider", "show", "lex review pvt ltd", "--json"]),
        p
    );
    assert_eq!(
        ok_json(
            d,
            &["provider", "show", p["id"].as_str().unwrap(), "--json"]
        ),
        p
    );

    fails_with(
        d,
        &["provider", "add", "--name", "LEX REVIEW PVT LTD"],
        "already recorded",
    );
    fails_with(
        d,
        &["provider", "add", "--name", "X", "--country", "XX"],
        "not an ISO 3166-1 country code",
    );
    fails_with(
        d,
        &[
            "provider",
            "add",
            "--name",
            "X",
            "--rate",
            "review:lots:USD",
        ],
        "SERVICE:AMOUNT:CURRENCY",
    );
    // Yen have no minor unit: 6000 JPY is kept as 6000, never divided by 100.
    let p = ok_json(
        d,
        &[
            "provider",
            "add",
            "--name",
            "Tokyo Translation KK",
            "--rate",
            "Translation:6,000:jpy",
            "--json",
        ],
    );
    assert_eq!(p["rates"][0]["minor_per_hour"], 6000, "{p}");
    assert_eq!(p["rates"][0]["currency"], "JPY", "{p}");
    fails_with(
        d,
        &[
            "provider",
            "add",
            "--name",
            "X",
            "--rate",
            "Translation:60.5:JPY",
        ],
        "JPY",
    );
    fails_with(
        d,
        &[
            "provider",
            "add",
            "--name",
            "X",
            "--nda-signed-on",
            "2026-02-30",
        ],
        "not a real date",
    );
    fails_with(d, &["provider", "show", "Nobody"], "No provider");
}

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
