//! `mandate bench store` and `mandate generate` as a script would run them.
//!
//! The benchmark keeps its key in memory, so it runs in a bare `cargo test`. What is
//! checked is that it measured something and that both sides did the same work —
//! rows read back from each database, rows returned, ratios computed from the
//! figures — never how fast: a benchmark is not a timed test. `generate` opens the person's store, so it needs the keyring.

use std::process::Command;

use serde_json::Value;

fn mandate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args)
        .output()
        .expect("mandate runs")
}

fn num(r: &Value, path: &[&str]) -> f64 {
    let v = path.iter().fold(r, |v, k| &v[*k]);
    v.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is a number: {v}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
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
    let r: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");

    // Import: what each database holds after it, counted there — every row asked
    // for, each in its full-text index, and the run's audit record — on both sides.
    let want = serde_json::json!({
        "matters": 2000, "messages": 20000,
        "matters_indexed": 2000, "messages_indexed": 20000,
        "audit_records": 1,
    });
    assert_eq!(r["import"]["stored"], want, "{r}");
    assert_eq!(r["import"]["baseline_stored"], want, "{r}");
    // Rates and the ratio are computed from the times measured.
    let (secs, base_secs) = (
        num(&r, &["import", "seconds"]),
        num(&r, &["import", "baseline_seconds"]),
    );
    assert!(secs > 0.0 && base_secs > 0.0, "{r}");
    assert!(close(
        num(&r, &["import", "rows_per_s"]),
        22000.0 / secs,
        1e-9
    ));
    assert!(close(
        num(&r, &["import", "baseline_rows_per_s"]),
        22000.0 / base_secs,
        1e-9
    ));
    assert!(close(
        num(&r, &["import", "ratio"]),
        secs.recip() / base_secs.recip(),
        1e-9
    ));

    // List and search: both sides ran every timed run and returned the same rows.
    for p in ["list", "search"] {
        assert_eq!(r[p]["runs"], 30, "{p}");
        assert_eq!(r[p]["baseline_runs"], 30, "{p}");
        assert!(num(&r, &[p, "rows"]) > 0.0, "{p}: {r}");
        assert_eq!(r[p]["rows"], r[p]["baseline_rows"], "{p}: {r}");
        let (p50, p95) = (num(&r, &[p, "p50_ms"]), num(&r, &[p, "p95_ms"]));
        let (b50, b95) = (
            num(&r, &[p, "baseline_p50_ms"]),
            num(&r, &[p, "baseline_p95_ms"]),
        );
        assert!(0.0 < p50 && p50 <= p95, "{p}: {r}");
        assert!(0.0 < b50 && b50 <= b95, "{p}: {r}");
        assert!(close(num(&r, &[p, "ratio"]), p50 / b50, 1e-9), "{p}: {r}");
        assert!(!r[p]["label"].as_str().unwrap().is_empty());
        assert!(!r[p]["baseline_label"].as_str().unwrap().is_empty());
    }
    assert!(num(&r, &["list", "counted"]) > 0.0, "{r}");
    assert_eq!(r["list"]["counted"], r["list"]["baseline_counted"]);
    // Search found each kind (no typed word names a provider) on both sides alike.
    assert_eq!(r["search"]["hits"], r["search"]["baseline_hits"], "{r}");
    for kind in ["matters", "parties", "party_links", "messages", "documents"] {
        assert!(num(&r, &["search", "hits", kind]) > 0.0, "{kind}: {r}");
    }

    let size = num(&r, &["size", "ratio"]);
    assert!(close(
        size,
        num(&r, &["size", "bytes"]) / num(&r, &["size", "baseline_bytes"]),
        1e-9
    ));
    assert!((0.8..1.25).contains(&size), "{r}");
    assert!(num(&r, &["memory", "peak_bytes"]) >= num(&r, &["memory", "baseline_peak_bytes"]));
    for p in ["import", "list", "search"] {
        assert!(r[p]["goal_met"].is_boolean(), "{p}");
    }
    assert_eq!(
        r["all_goals_met"].as_bool(),
        Some(
            r["import"]["goal_met"] == true
                && r["list"]["goal_met"] == true
                && r["search"]["goal_met"] == true
        )
    );
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
    // Each row's ratio is its figure over its baseline, as printed.
    let numbers = |label: &str| -> Vec<f64> {
        let line = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label:?} in {text}"));
        line[label.len()..]
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    // Figures are printed rounded: `half` is half their last digit. The ratio must
    // lie between what the rounded figures allow.
    let ratio_fits = |n: &[f64], half: f64| {
        let low = (n[0] - half).max(0.0) / (n[1] + half) - 0.005;
        let high = (n[0] + half) / (n[1] - half).max(f64::MIN_POSITIVE) + 0.005;
        n[0] > 0.0 && n[1] > 0.0 && (low..=high).contains(&n[2])
    };
    let import = numbers("bulk import");
    assert!(ratio_fits(&import, 0.5), "{import:?}");
    for label in ["matter list page p50", "global search p50"] {
        let n = numbers(label);
        assert!(ratio_fits(&n, 0.005), "{label}: {n:?}");
    }
    for label in ["matter list page p95", "global search p95"] {
        let n = numbers(label);
        assert!(n[0] > 0.0 && n[1] > 0.0, "{label}: {n:?}");
    }
    // Both sides' counts, read back from their databases, are the same.
    assert!(
        text.contains(
            "import, Mandate 200 / baseline 200 matters, 1000 / 1000 messages, 200 / 200 and 1000 / 1000 rows in \
             the full-text indexes, 1 / 1 audit records"
        ),
        "{text}"
    );
    for label in ["size on disk", "peak memory", "baseline:"] {
        assert!(text.contains(label), "{label:?} in {text}");
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

/// `bench sync` runs the exchange end to end through a real relay (built beside
/// `mandate` by scripts/test.sh) and reports figures computed from what it measured.
#[test]
fn bench_sync_moves_every_item_and_reports_ratios() {
    let out = mandate(&[
        "bench",
        "sync",
        "--messages",
        "40",
        "--document-mib",
        "1",
        "--json",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let r: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    assert_eq!(r["messages"], 40, "{r}");
    assert_eq!(r["document_mib"], 1, "{r}");
    for key in [
        "messages_per_s",
        "baseline_messages_per_s",
        "document_mb_per_s",
        "baseline_age_mb_per_s",
        "store_floor_mb_per_s",
        "store_floor_write_mb_per_s",
        "store_floor_read_mb_per_s",
    ] {
        assert!(num(&r, &[key]) > 0.0, "{key}: {r}");
    }
    // The floor is the write and the read one after the other.
    let floor = 1.0
        / (1.0 / num(&r, &["store_floor_write_mb_per_s"])
            + 1.0 / num(&r, &["store_floor_read_mb_per_s"]));
    assert!(
        close(num(&r, &["store_floor_mb_per_s"]), floor, 1e-6),
        "{r}"
    );
    assert!(close(
        num(&r, &["document_ratio_to_store_floor"]),
        num(&r, &["document_mb_per_s"]) / num(&r, &["store_floor_mb_per_s"]),
        1e-9
    ));
    assert!(close(
        num(&r, &["store_floor_ratio_to_age"]),
        num(&r, &["store_floor_mb_per_s"]) / num(&r, &["baseline_age_mb_per_s"]),
        1e-9
    ));
    assert!(close(
        num(&r, &["messages_ratio"]),
        num(&r, &["messages_per_s"]) / num(&r, &["baseline_messages_per_s"]),
        1e-9
    ));
    assert!(close(
        num(&r, &["document_ratio"]),
        num(&r, &["document_mb_per_s"]) / num(&r, &["baseline_age_mb_per_s"]),
        1e-9
    ));
    assert_eq!(
        r["messages_goal_met"],
        num(&r, &["messages_per_s"]) >= 1000.0,
        "{r}"
    );
}
