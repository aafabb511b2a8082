//! `mandate guard check`: the send guard's decision from what the store holds, with
//! each reason and what would satisfy it; exit 4 on a block.

mod common;

use common::passphrase::{mandate, ok_json};
use common::{ALL_FACTORS, cleared_provider_edit};
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

    // The provider's file lists the seven factors of Model Rule 5.3 comment 3 still
    // to check, with the flag that records each; six checked still block.
    let shown =
        String::from_utf8(mandate(d, &["provider", "show", "Lexwell Review Ltd"]).stdout).unwrap();
    assert_eq!(shown.matches("[ ]").count(), 7, "{shown}");
    assert!(
        shown.contains("Reputation and references (--factor reputation)"),
        "{shown}"
    );
    // Every factor but the last (security): `ALL_FACTORS` holds them in order.
    let six = [
        &["provider", "edit", "Lexwell Review Ltd"][..],
        &ALL_FACTORS[..12],
        &["--json"][..],
    ]
    .concat();
    ok_json(d, &six);
    let v: Value = serde_json::from_slice(
        &mandate(d, &["guard", "check", "--assignment", id, "--json"]).stdout,
    )
    .unwrap();
    let reason = v["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "diligence.incomplete")
        .expect("still incomplete")
        .clone();
    assert!(
        reason["message"]
            .as_str()
            .unwrap()
            .contains("background checks of staff"),
        "{reason}"
    );
    let bad = mandate(
        d,
        &[
            "provider",
            "edit",
            "Lexwell Review Ltd",
            "--factor",
            "vibes: ok",
        ],
    );
    assert!(!bad.status.success(), "an unknown factor is refused");
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("education, experience"),
        "an unknown factor names the known ones"
    );

    // Record the provider's file (editing it) and the client's consent: those
    // reasons go away.
    let edited = ok_json(
        d,
        &[
            &cleared_provider_edit("Lexwell Review Ltd")[..],
            &["--json"],
        ]
        .concat(),
    );
    assert_eq!(edited["countries"], serde_json::json!(["IN"]));
    assert_eq!(edited["nda_on_file"], true);
    assert_eq!(edited["diligence"][0]["done"], true);
    assert_eq!(
        edited["legal_name"], "Lexwell Review Ltd",
        "a name left out stays"
    );
    ok_json(
        d,
        &[
            "consent",
            "add",
            "--matter",
            "2026-020",
            "--provider",
            "Lexwell Review Ltd",
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
    let out = mandate(d, &["guard", "check", "--assignment", id, "--json"]);
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

#[test]
fn a_conflict_blocks_until_a_person_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-021",
            "--title",
            "Supply dispute",
            "--client",
            "Acme Corp",
            "--json",
        ],
    );
    let party = ok_json(
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
    ok_json(
        d,
        &[
            "party",
            "link",
            "--matter",
            "2026-021",
            "--party",
            party["id"].as_str().unwrap(),
            "--role",
            "adverse",
            "--json",
        ],
    );
    ok_json(
        d,
        &[
            "provider",
            "add",
            "--name",
            "Lexwell Review Ltd",
            "--conflict",
            "Widget Werke AG",
            "--conflict",
            "Globex",
            "--json",
        ],
    );
    let a = ok_json(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-021",
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

    let out = mandate(
        d,
        &[
            "conflicts",
            "check",
            "--matter",
            "2026-021",
            "--provider",
            "Lexwell Review Ltd",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "an open match exits 4");
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    let matches = check["matches"].as_array().unwrap();
    // The alias matches exactly, the name "Widget GmbH" by its words.
    assert_eq!(matches.len(), 2, "{check}");
    assert_eq!(matches[1]["kind"], "contained");
    assert_eq!(
        (
            matches[0]["party"].as_str(),
            matches[0]["listed"].as_str(),
            matches[0]["kind"].as_str()
        ),
        (Some("Widget Werke"), Some("Widget Werke AG"), Some("exact"))
    );
    let guard: Value = serde_json::from_slice(
        &mandate(d, &["guard", "check", "--assignment", id, "--json"]).stdout,
    )
    .unwrap();
    assert!(
        rules(&guard).contains(&"conflict.open".to_owned()),
        "{guard}"
    );

    let cleared = mandate(
        d,
        &[
            "conflicts",
            "clear",
            check["id"].as_str().unwrap(),
            "1",
            "--note",
            "Different Widget: Austrian maker, no relation",
        ],
    );
    assert_eq!(cleared.status.code(), Some(4), "one match is still open");
    let guard: Value = serde_json::from_slice(
        &mandate(d, &["guard", "check", "--assignment", id, "--json"]).stdout,
    )
    .unwrap();
    assert!(
        rules(&guard).contains(&"conflict.open".to_owned()),
        "{guard}"
    );
    let cleared = mandate(
        d,
        &[
            "conflicts",
            "clear",
            check["id"].as_str().unwrap(),
            "2",
            "--note",
            "Same as 1",
        ],
    );
    assert!(
        cleared.status.success(),
        "{}",
        String::from_utf8_lossy(&cleared.stderr)
    );
    let shown = ok_json(
        d,
        &[
            "conflicts",
            "show",
            "--matter",
            "2026-021",
            "--provider",
            "Lexwell Review Ltd",
            "--json",
        ],
    );
    assert!(shown["matches"][0]["cleared_by"].is_string());
    assert_eq!(
        shown["matches"][0]["note"],
        "Different Widget: Austrian maker, no relation"
    );
    let guard: Value = serde_json::from_slice(
        &mandate(d, &["guard", "check", "--assignment", id, "--json"]).stdout,
    )
    .unwrap();
    let after = rules(&guard);
    assert!(
        !after.iter().any(|r| r.starts_with("conflict.")),
        "{after:?}"
    );

    // Against the firm's other matters: a new matter for Widget's side finds Acme's matter.
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-022",
            "--title",
            "Widget v. Acme",
            "--client",
            "Widget Werke",
            "--json",
        ],
    );
    let out = mandate(d, &["conflicts", "check", "--matter", "2026-022", "--json"]);
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        check["matches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["listed"] == "Widget Werke"),
        "{check}"
    );
}

#[test]
fn declared_ai_use_and_export_control_block_until_their_facts_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-030",
            "--title",
            "Avionics supply",
            "--client",
            "Aerodyne",
            "--supervising-attorney",
            "Jane Smith",
            "--data-class",
            "export_controlled",
            "--json",
        ],
    );
    ok_json(
        d,
        &[
            &[
                "provider",
                "add",
                "--name",
                "Lexwell Review Ltd",
                "--country",
                "IN",
            ][..],
            &ALL_FACTORS[..],
            &[
                "--diligence-review-on",
                "2099-01-01",
                "--nda-signed-on",
                "2026-01-02",
                "--ai-use",
                "declared",
                "--ai-use-detail",
                "machine translation of exhibits",
                "--json",
            ][..],
        ]
        .concat(),
    );
    let a = ok_json(
        d,
        &[
            "assignment",
            "add",
            "--matter",
            "2026-030",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Translate exhibits",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    let id = a["id"].as_str().unwrap();
    let consent = |extra: &[&str]| {
        let mut args = vec![
            "consent",
            "add",
            "--matter",
            "2026-030",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Translation",
            "--data-class",
            "export_controlled",
            "--country",
            "IN",
            "--given-on",
            "2026-01-03",
            "--evidence",
            "letter of 2026-01-03",
        ];
        args.extend_from_slice(extra);
        args.push("--json");
        ok_json(d, &args)
    };
    consent(&[]);
    let check = |d: &std::path::Path| -> Vec<String> {
        let out = mandate(d, &["guard", "check", "--assignment", id, "--json"]);
        rules(&serde_json::from_slice(&out.stdout).unwrap())
    };
    let before = check(d);
    assert!(before.contains(&"consent.ai_use".to_owned()), "{before:?}");
    assert!(
        before.contains(&"data.export_controlled".to_owned()),
        "{before:?}"
    );

    // A consent that covers AI use needs its evidence.
    let refused = mandate(
        d,
        &[
            "consent",
            "add",
            "--matter",
            "2026-030",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Translation",
            "--country",
            "IN",
            "--given-on",
            "2026-01-03",
            "--evidence",
            "letter",
            "--covers-ai-use",
            "--ai-use-evidence",
            " ",
        ],
    );
    assert!(!refused.status.success());
    let c = consent(&[
        "--covers-ai-use",
        "--ai-use-evidence",
        "AI addendum signed 2026-01-03, DMS 4412",
    ]);
    assert_eq!(c["covers_ai_use"], true);
    assert_eq!(
        c["ai_use_evidence"],
        "AI addendum signed 2026-01-03, DMS 4412"
    );
    ok_json(
        d,
        &[
            "provider",
            "edit",
            "Lexwell Review Ltd",
            "--export-clearance",
            "EAR99 determination of 2026-01-05",
            "--json",
        ],
    );
    let after = check(d);
    assert!(!after.contains(&"consent.ai_use".to_owned()), "{after:?}");
    assert!(
        !after.contains(&"data.export_controlled".to_owned()),
        "{after:?}"
    );
    // The clearance can be taken back, and the block returns.
    let p = ok_json(
        d,
        &[
            "provider",
            "edit",
            "Lexwell Review Ltd",
            "--export-clearance",
            "",
            "--json",
        ],
    );
    assert_eq!(p["export_clearance"], Value::Null);
    assert!(check(d).contains(&"data.export_controlled".to_owned()));
}

#[test]
fn a_sensitive_number_blocks_until_it_is_redacted_or_kept_by_a_named_person() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter", "add", "--number", "2026-040", "--title", "Intake", "--client", "Orbit",
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
            "2026-040",
            "--provider",
            "Lexwell Review Ltd",
            "--scope",
            "Summarise the intake",
            "--due-on",
            "2027-01-12",
            "--supervisor",
            "Jane Smith",
            "--json",
        ],
    );
    let id = a["id"].as_str().unwrap();
    let file = d.join("Intake.txt");
    std::fs::write(
        &file,
        "Intake for Case No. 2:19-cr-00045. Claimant SSN 123-45-6789. ECF No. 45.",
    )
    .unwrap();
    let clean = d.join("Clean.txt");
    std::fs::write(
        &clean,
        "Bates SMITH-000123, ZIP 10001-1234, filed 2026-03-02.",
    )
    .unwrap();
    // A file on its own: exit 4 with a hit, 0 without.
    let out = mandate(d, &["scan", file.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(4));
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits[0]["kind"], "ssn");
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(
        mandate(d, &["scan", clean.to_str().unwrap()]).status.code(),
        Some(0)
    );

    let doc = ok_json(
        d,
        &[
            "document",
            "add",
            "--matter",
            "2026-040",
            file.to_str().unwrap(),
            "--json",
        ],
    );
    let v1 = doc["latest"]["id"].as_str().unwrap().to_owned();
    let guard = |v: &str| -> Vec<String> {
        let out = mandate(
            d,
            &[
                "guard",
                "check",
                "--assignment",
                id,
                "--document",
                v,
                "--json",
            ],
        );
        rules(&serde_json::from_slice(&out.stdout).unwrap())
    };
    assert!(guard(&v1).contains(&"scan.unresolved".to_owned()));
    let out = mandate(d, &["scan", "--assignment", id, "--document", &v1]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stdout).contains("123-45-6789"));

    // Redacted: a new version without it; the original stays.
    let v2 = ok_json(d, &["document", "redact", &v1, "--json"]);
    let v2 = v2["id"].as_str().unwrap().to_owned();
    assert!(!guard(&v2).contains(&"scan.unresolved".to_owned()));
    assert_eq!(
        mandate(d, &["scan", "--assignment", id, "--document", &v2])
            .status
            .code(),
        Some(0)
    );
    // Or kept on purpose, by a named person.
    let kept = mandate(
        d,
        &[
            "scan",
            "--assignment",
            id,
            "--document",
            &v1,
            "--keep",
            "123-45-6789",
            "--item",
            &v1,
            "--by",
            "Jane Smith",
        ],
    );
    assert_eq!(kept.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&kept.stdout).contains("kept by Jane Smith"));
    assert!(!guard(&v1).contains(&"scan.unresolved".to_owned()));
}

#[test]
fn the_firms_people_are_added_and_the_one_at_the_desk_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let refused = mandate(
        d,
        &[
            "person",
            "add",
            "--name",
            "Jane Smith",
            "--role",
            "attorney",
        ],
    );
    assert!(
        !refused.status.success(),
        "an attorney without a bar admission"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("bar admission"));
    let jane = ok_json(
        d,
        &[
            "person",
            "add",
            "--name",
            "Jane Smith",
            "--role",
            "attorney",
            "--bar-admission",
            "NY 4512290",
            "--json",
        ],
    );
    assert_eq!(jane["role"], "attorney");
    ok_json(
        d,
        &[
            "person",
            "add",
            "--name",
            "Pat Lee",
            "--role",
            "paralegal",
            "--json",
        ],
    );
    let used = mandate(d, &["person", "use", "jane smith"]);
    assert!(used.status.success());
    let list = ok_json(d, &["person", "list", "--json"]);
    assert_eq!(list["desk"], jane["id"]);
    assert_eq!(list["people"].as_array().unwrap().len(), 2);
}

#[test]
fn opening_a_matter_checks_it_against_the_firms_other_matters() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok_json(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-0001",
            "--title",
            "Lease dispute",
            "--client",
            "Wexley Capital Partners LLC",
            "--json",
        ],
    );
    let out = mandate(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-0002",
            "--title",
            "Fund formation",
            "--client",
            "Wexley Capital Partners, L.L.C.",
            "--json",
        ],
    );
    assert!(out.status.success());
    // stdout stays one JSON document; the note is on stderr.
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["number"], "2026-0002");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("1 possible conflict to clear")
            && said.contains("mandate conflicts show --matter 2026-0002"),
        "{said}"
    );
    // `conflicts show` exits 4 while matches wait to be cleared.
    let shown = mandate(d, &["conflicts", "show", "--matter", "2026-0002", "--json"]);
    assert_eq!(shown.status.code(), Some(4));
    let check: Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(
        check["matches"][0]["listed"], "Wexley Capital Partners LLC",
        "{check}"
    );
    assert_eq!(check["matches"][0]["kind"], "exact");
}
