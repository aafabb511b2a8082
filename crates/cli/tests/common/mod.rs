//! Helpers shared by the CLI integration tests: run the real `mandate` binary on
//! a data folder and check its JSON or its one-line error.

#![allow(dead_code)] // each test file uses a different subset

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
    let out = mandate(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON on stdout")
}

pub fn fails_with(dir: &Path, args: &[&str], needle: &str) {
    let out = mandate(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail: {err}");
    assert!(
        err.starts_with("error: ") && err.trim_end().lines().count() == 1,
        "one line: {err:?}"
    );
    assert!(err.contains(needle), "{err:?} should mention {needle:?}");
}
