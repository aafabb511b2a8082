//! `mandate deadline add|list|show|move|done|dashboard|export` against a real store
//! (and so the real keyring: run through scripts/with-keyring.sh).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn mandate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("mandate runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = mandate(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args)).expect("JSON")
}

/// Matter 2026-0142, Acme v. Widget.
fn add_matter(d: &Path) {
    ok(
        d,
        &[
            "matter",
            "add",
            "--number",
            "2026-0142",
            "--title",
            "Acme v. Widget",
            "--client",
            "Acme Corp",
        ],
    );
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn docket_move_finish_and_export_deadlines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_matter(d);

    let made = json(
        d,
        &[
            "deadline",
            "add",
            "--matter",
            "2026-0142",
            "--rule",
            "motion-briefing",
            "--trigger",
            "2026-03-02",
            "--service",
            "mail",
            "--json",
        ],
    );
    let made = made.as_array().unwrap();
    assert_eq!(made.len(), 2, "a chain makes one deadline per rule");
    assert_eq!(made[0]["due_date"], "2026-03-19", "14 days + 3 for mail");
    assert_eq!(made[0]["matter_number"], "2026-0142");
    assert!(made[0]["steps"].as_array().unwrap().len() > 2);
    let first = made[0]["id"].as_str().unwrap().to_owned();

    let moved = json(
        d,
        &[
            "deadline",
            "move",
            &first,
            "--trigger",
            "2026-03-09",
            "--json",
        ],
    );
    assert_eq!(moved.as_array().unwrap().len(), 2, "{moved}");
    assert_eq!(moved[0]["old_due"], "2026-03-19");
    assert_eq!(moved[0]["new_due"], "2026-03-26");

    ok(d, &["deadline", "done", &first]);
    let shown = json(d, &["deadline", "show", &first, "--json"]);
    assert_eq!(shown["status"], "done");
    assert!(shown["done_by"].is_string());
    let open = json(d, &["deadline", "list", "--status", "open", "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 1);

    let dash = json(
        d,
        &["deadline", "dashboard", "--today", "2026-03-20", "--json"],
    );
    assert_eq!(dash["today"], "2026-03-20");
    assert_eq!(
        dash["next_30_days"].as_array().unwrap().len()
            + dash["next_7_days"].as_array().unwrap().len(),
        1
    );

    let out = d.join("firm.ics");
    let printed = ok(
        d,
        &[
            "deadline",
            "export",
            "--out",
            out.to_str().unwrap(),
            "--matter",
            "2026-0142",
        ],
    );
    assert!(printed.contains("Wrote 2 deadline(s)"), "{printed}");
    let ics = std::fs::read_to_string(&out).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains(&format!("UID:{first}@mandate")));
    assert!(ics.contains("DTSTART;VALUE=DATE:20260326"));
    assert!(
        !ics.contains("Acme"),
        "no client name in the calendar by default"
    );

    // Bad input: one line, nothing written.
    let bad = mandate(
        d,
        &[
            "deadline",
            "add",
            "--matter",
            "2026-0142",
            "--rule",
            "answer",
            "--trigger",
            "2026-02-30",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("28 days"));
    assert_eq!(
        json(d, &["deadline", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn an_edited_firm_calendar_is_reported_and_its_deadline_recomputed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_matter(d);
    let cals = d.join("calendars");
    std::fs::create_dir_all(&cals).unwrap();
    let header = "id = \"sdny-closures\"\nname = \"S.D.N.Y. closures\"\nkind = \"court\"\nsource = \"clerk\"\nversion = \"1\"\n";
    let file = cals.join("sdny.toml");
    std::fs::write(
        &file,
        format!("{header}[[holiday]]\nname = \"Snow\"\ndate = 2026-01-05\n"),
    )
    .unwrap();
    let made = json(
        d,
        &[
            "deadline",
            "add",
            "--matter",
            "2026-0142",
            "--title",
            "Opposition",
            "--days",
            "14",
            "--trigger",
            "2026-06-01",
            "--calendar",
            "us-federal,sdny-closures",
            "--json",
        ],
    );
    let id = made[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(made[0]["due_date"], "2026-06-15");
    assert_eq!(
        json(d, &["deadline", "calendar-changes", "--json"]),
        serde_json::json!([])
    );
    std::fs::write(
        &file,
        format!("{header}[[holiday]]\nname = \"Snow\"\ndate = 2026-01-05\n[[holiday]]\nname = \"Outage\"\ndate = 2026-06-15\n"),
    )
    .unwrap();
    let changes = json(d, &["deadline", "calendar-changes", "--json"]);
    assert_eq!(changes[0]["deadline_id"], id.as_str(), "{changes}");
    assert_eq!(changes[0]["calendar"], "sdny-closures");
    let said = ok(d, &["deadline", "calendar-changes"]);
    assert!(
        said.contains(&format!("mandate deadline recompute {id}")),
        "{said}"
    );
    let moved = json(d, &["deadline", "recompute", &id, "--json"]);
    assert_eq!(moved[0]["new_due"], "2026-06-16", "{moved}");
    assert_eq!(
        json(d, &["deadline", "calendar-changes", "--json"]),
        serde_json::json!([])
    );
}
