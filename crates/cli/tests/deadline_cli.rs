//! `mandate deadline compute|holidays`: no store, no keyring, stable JSON.

use std::process::{Command, Output};

use serde_json::Value;

fn mandate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        // Point at a folder that does not exist: these commands must not need a store.
        .env("MANDATE_DATA_DIR", "/nonexistent/mandate-no-store")
        .args(args)
        .output()
        .expect("mandate runs")
}

fn json(args: &[&str]) -> Value {
    let out = mandate(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn fourteen_days_after_fri_2026_06_05_rolls_past_juneteenth() {
    let v = json(&[
        "deadline",
        "compute",
        "--trigger",
        "2026-06-05",
        "--days",
        "14",
        "--json",
    ]);
    assert_eq!(v["due"], "2026-06-22");
    let steps = v["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["text"]
            .as_str()
            .unwrap()
            .contains("Fri 2026-06-19: Juneteenth")),
        "{steps:?}"
    );
}

#[test]
fn service_by_mail_adds_three_days_after_the_6a_date() {
    let e = json(&[
        "deadline",
        "compute",
        "--trigger",
        "2026-03-02",
        "--days",
        "21",
        "--service",
        "electronic",
        "--json",
    ]);
    let m = json(&[
        "deadline",
        "compute",
        "--trigger",
        "2026-03-02",
        "--days",
        "21",
        "--service",
        "mail",
        "--json",
    ]);
    // 21 days after Mon 2026-03-02 is Mon 2026-03-23; +3 days by mail is Thu 2026-03-26.
    assert_eq!(
        (e["due"].as_str(), m["due"].as_str()),
        (Some("2026-03-23"), Some("2026-03-26"))
    );
    assert!(m["steps"].to_string().contains("6(d)"));
}

#[test]
fn holidays_lists_observed_dates_with_names() {
    let v = json(&[
        "deadline",
        "holidays",
        "--calendar",
        "us-federal",
        "--year",
        "2021",
        "--json",
    ]);
    let text = v.to_string();
    assert!(
        text.contains("2021-12-31"),
        "New Year's Day 2022 is observed on Fri 2021-12-31: {text}"
    );
    assert!(text.contains("Juneteenth"));
}

#[test]
fn bad_dates_and_unknown_calendars_are_one_line_errors() {
    for (args, needle) in [
        (
            &[
                "deadline",
                "compute",
                "--trigger",
                "2026-02-30",
                "--days",
                "3",
            ][..],
            "28 days",
        ),
        (
            &[
                "deadline",
                "compute",
                "--trigger",
                "2026-03-02",
                "--days",
                "3",
                "--calendar",
                "atlantis",
            ][..],
            "atlantis",
        ),
        (
            &[
                "deadline",
                "compute",
                "--trigger",
                "2300-01-01",
                "--days",
                "3",
            ][..],
            "2200",
        ),
    ] {
        let out = mandate(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
        assert!(err.contains(needle), "{err:?} should mention {needle}");
    }
}
