//! `mandate bench store` and `mandate generate` as a script would run them.
//!
//! The benchmark keeps its key in memory, so it runs in a bare `cargo test`; only
//! its figures' presence and sign are checked, never their size: a benchmark is not
//! a timed test. `generate` opens the person's store, so it needs the keyring.

use std::process::Command;

use serde_json::Value;

fn mandate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args)
        .output()
        .expect("mandate runs")
}

#[test]
fn bench_store_prints_every_figure_as_json() {
    let out = mandate(&[
        "bench",
        "store",
        "--matters",
        "2000",
        "--messages",
        "20000",
        "--runs",
        "30",
        "--json",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("keyring is not used"), "{err}");
    let r: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    assert_eq!(r["key_vault"], "memory");
    assert_eq!(r["matters"], 2000);
    assert_eq!(r["messages"], 20000);
    assert_eq!(r["import"]["rows"], 22000);
    let positive = |path: &[&str]| {
        let v = path.iter().fold(&r, |v, k| &v[*k]);
        let n = v
            .as_f64()
            .unwrap_or_else(|| panic!("{path:?} is a number: {v}"));
        assert!(n > 0.0, "{path:?} = {n}");
    };
    for p in [
        &["import", "seconds"][..],
        &["import", "rows_per_s"],
        &["import", "baseline_rows_per_s"],
        &["import", "ratio"],
        &["list", "p50_ms"],
        &["list", "p95_ms"],
        &["list", "baseline_p50_ms"],
        &["list", "baseline_p95_ms"],
        &["list", "ratio"],
        &["search", "p50_ms"],
        &["search", "p95_ms"],
        &["search", "baseline_p50_ms"],
        &["search", "baseline_p95_ms"],
        &["search", "ratio"],
        &["size", "bytes"],
        &["size", "baseline_bytes"],
        &["memory", "peak_bytes"],
    ] {
        positive(p);
    }
    for p in ["import", "list", "search"] {
        assert!(r[p]["goal_met"].is_boolean(), "{p}");
    }
    assert!(r["all_goals_met"].is_boolean());
    assert_eq!(r["search"]["goal_max_ratio"], 3.0);
}

#[test]
fn bench_store_prints_a_table() {
    let out = mandate(&[
        "bench",
        "store",
        "--matters",
        "200",
        "--messages",
        "1000",
        "--runs",
        "5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "bulk import",
        "matter list page p95",
        "global search p95",
        "size on disk",
        "peak memory",
        "no OS keyring",
    ] {
        assert!(text.contains(needle), "{needle:?} in {text}");
    }
}

#[test]
#[ignore = "needs a Secret Service: run through scripts/with-keyring.sh"]
fn generate_fills_the_store_and_is_resumable() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["--data-dir", d];
        all.extend_from_slice(args);
        let out = mandate(&all);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let out = run(&[
        "generate",
        "--matters",
        "300",
        "--messages",
        "3000",
        "--json",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("100%"));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["matters_inserted"], 300);
    assert_eq!(r["messages_inserted"], 3000);

    let again: Value = serde_json::from_slice(
        &run(&[
            "generate",
            "--matters",
            "300",
            "--messages",
            "3000",
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(again["matters_inserted"], 0);
    assert_eq!(again["messages_inserted"], 0);

    let list: Value =
        serde_json::from_slice(&run(&["matter", "list", "--query", "G-0001", "--json"]).stdout)
            .unwrap();
    assert!(list["total"].as_u64().unwrap() >= 10, "{list}");
    let audit: Value = serde_json::from_slice(&run(&["audit", "verify", "--json"]).stdout).unwrap();
    assert_eq!(audit["intact"], true);
    assert_eq!(audit["records"], 1);
}
