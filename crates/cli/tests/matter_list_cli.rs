//! `mandate matter` safeguards and the list's filters and pages, on a passphrase
//! store (MANDATE_PASSPHRASE), so no keyring is needed.

use serde_json::{Value, json};

mod common;

use common::passphrase::{mandate, ok_json};

fn numbers(list: &Value) -> Vec<&str> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["number"].as_str().unwrap())
        .collect()
}

#[test]
fn safeguards_are_set_shown_replaced_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let m = ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "S-1",
            "--title",
            "Helix Bio patent opposition",
            "--client",
            "Helix Bio Inc.",
            "--supervising-attorney",
            "Priya Raman",
            "--data-class",
            "export_controlled",
            "--data-class",
            "health-information",
            "--allowed-country",
            "us",
            "--allowed-country",
            "GB",
            "--json",
        ],
    );
    assert_eq!(m["supervising_attorney"], "Priya Raman");
    assert_eq!(
        m["data_classes"],
        json!(["health_information", "export_controlled"])
    );
    assert_eq!(m["allowed_countries"], json!(["GB", "US"]));

    let shown = mandate(d, &["matter", "show", "S-1"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("Supervised by:  Priya Raman"), "{text}");
    assert!(
        text.contains("Data classes:   health_information, export_controlled"),
        "{text}"
    );
    assert!(text.contains("Providers in:   GB, US"), "{text}");

    // Untouched flags leave the safeguards alone; given flags replace them.
    let e = ok_json(d, &["matter", "edit", "S-1", "--title", "Helix", "--json"]);
    assert_eq!(e["allowed_countries"], json!(["GB", "US"]));
    let e = ok_json(
        d,
        &[
            "matter",
            "edit",
            "S-1",
            "--data-class",
            "",
            "--allowed-country",
            "",
            "--supervising-attorney",
            "",
            "--json",
        ],
    );
    assert_eq!(
        (
            &e["data_classes"],
            &e["allowed_countries"],
            &e["supervising_attorney"]
        ),
        (&json!([]), &json!([]), &Value::Null)
    );

    // A wrong value: one line, naming what to do, exit 1, nothing changed.
    for (flag, value, needle) in [
        ("--allowed-country", "Germany", "use two letters"),
        ("--data-class", "pii", "Unknown data class"),
    ] {
        let out = mandate(d, &["matter", "edit", "S-1", flag, value]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{err}");
    }
    let again = ok_json(d, &["matter", "show", "S-1", "--json"]);
    assert_eq!(again["revision"], 3);
}

#[test]
fn the_list_filters_by_client_court_and_provider_and_pages_with_after() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The demo: five matters, three providers, a work order on each matter.
    assert!(mandate(d, &["demo"]).status.success());

    let acme = ok_json(d, &["matter", "list", "--client", "acme", "--json"]);
    assert_eq!(numbers(&acme), ["2026-0142"]);
    let court = ok_json(d, &["matter", "list", "--court", "d.n.j.", "--json"]);
    assert_eq!(numbers(&court), ["2026-0151"]);
    // Work goes to provider i % 3: Lexbridge has matters 0 and 3.
    let lex = ok_json(
        d,
        &[
            "matter",
            "list",
            "--provider",
            "Lexbridge Legal Services Pvt Ltd",
            "--sort",
            "number",
            "--json",
        ],
    );
    assert_eq!(numbers(&lex), ["2026-0142", "2026-0160"]);
    assert_eq!(lex["total"], 2);

    // Pages of two by number, following "next".
    let mut seen = Vec::new();
    let mut args = vec![
        "matter", "list", "--sort", "number", "--limit", "2", "--json",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    loop {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let page = ok_json(d, &a);
        assert_eq!(page["total"], 5, "the CLI counts every page");
        seen.extend(numbers(&page).into_iter().map(String::from));
        match page["next"].as_str() {
            Some(next) => {
                args.truncate(7);
                args.push("--after".into());
                args.push(next.into());
            }
            None => break,
        }
    }
    assert_eq!(
        seen,
        [
            "2026-0142",
            "2026-0143",
            "2026-0151",
            "2026-0160",
            "2026-0171"
        ]
    );

    // The text form says how to get the next page.
    let out = mandate(d, &["matter", "list", "--limit", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("(2 of 5 shown; the next page: add --after '"),
        "{text}"
    );

    let out = mandate(d, &["matter", "list", "--provider", "No Such Provider"]);
    assert_eq!(out.status.code(), Some(1));
}
