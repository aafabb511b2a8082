//! Helpers shared by the CLI integration tests: run the real `mandate` binary on
//! a data folder and check its JSON or its one-line error.

#![allow(dead_code)] // each test file uses a different subset

pub mod relay;

/// `--factor FACTOR: EVIDENCE` for each of the seven diligence factors (Model Rule 5.3
/// comment 3): what `provider add|edit` needs for a provider file with its diligence
/// complete.
#[allow(dead_code)] // Each test file uses a different part of this.
pub const ALL_FACTORS: [&str; 14] = [
    "--factor",
    "education: DMS 4411",
    "--factor",
    "experience: DMS 4411",
    "--factor",
    "reputation: DMS 4411",
    "--factor",
    "services: DMS 4411",
    "--factor",
    "confidentiality: DMS 4411",
    "--factor",
    "jurisdiction: DMS 4411",
    "--factor",
    "security: DMS 4411",
];

/// `provider edit PROVIDER …` with every fact the send guard asks of a provider:
/// works in India, diligence complete and its re-review far off, an NDA on file, no
/// AI used.
pub fn cleared_provider_edit(provider: &str) -> Vec<&str> {
    [
        &["provider", "edit", provider, "--country", "IN"][..],
        &ALL_FACTORS[..],
        &[
            "--diligence-review-on",
            "2099-01-01",
            "--nda-signed-on",
            "2026-01-02",
            "--ai-use",
            "none",
        ][..],
    ]
    .concat()
}

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

pub fn mandate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("mandate runs")
}

pub fn ok_json(dir: &Path, args: &[&str]) -> Value {
    json_of(mandate(dir, args), args)
}

/// The JSON a successful run printed; fails the test with its stderr otherwise.
pub fn json_of(out: Output, args: &[&str]) -> Value {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

pub fn fails_with(dir: &Path, args: &[&str], needle: &str) {
    failed_with(mandate(dir, args), args, needle);
}

/// Checks a run failed with exit 1 and a one-line error mentioning `needle`.
pub fn failed_with(out: Output, args: &[&str], needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail: {err}");
    assert!(
        err.starts_with("error: ") && err.trim_end().lines().count() == 1,
        "one line: {err:?}"
    );
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
}

/// The same helpers on a passphrase store, with no keyring reachable (the session
/// bus points nowhere), so these tests run under a bare `cargo test`.
pub mod passphrase {
    use std::path::Path;
    use std::process::{Command, Output, Stdio};

    use serde_json::Value;

    pub const PASSPHRASE: &str = "orchard lantern velvet quarry";

    pub fn command(dir: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mandate"));
        c.arg("--data-dir")
            .arg(dir)
            .args(args)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/mandate-test-bus",
            )
            .env("MANDATE_PASSPHRASE", PASSPHRASE)
            .env_remove("MANDATE_NEW_PASSPHRASE");
        c
    }

    pub fn mandate(dir: &Path, args: &[&str]) -> Output {
        command(dir, args).output().expect("mandate runs")
    }

    pub fn mandate_with_stdin(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
        use std::io::Write;
        let mut child = command(dir, args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mandate runs");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
        drop(input);
        child.wait_with_output().expect("mandate runs")
    }

    /// Stdout of a successful run.
    pub fn ok(dir: &Path, args: &[&str]) -> String {
        let out = mandate(dir, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8 on stdout")
    }

    pub fn ok_json(dir: &Path, args: &[&str]) -> Value {
        super::json_of(mandate(dir, args), args)
    }

    pub fn fails_with(dir: &Path, args: &[&str], needle: &str) {
        super::failed_with(mandate(dir, args), args, needle);
    }
}

/// The keys of a JSON object, to check a `--json` contract field by field.
pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// A store holding matter 2026-001 and provider "Lex Review Pvt Ltd".
pub fn matter_and_provider(d: &Path) -> Value {
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
