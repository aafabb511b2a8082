//! `mandate provider` as a script would use it: the `--json` contract of
//! docs/cli.md, exit codes and one-line errors.
//!
//! Tests that open a store need the OS keyring, so they are ignored by a bare
//! `cargo test` and run inside scripts/with-keyring.sh.

mod common;

use common::{fails_with, keys, matter_and_provider, ok_json};
use serde_json::Value;

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
