//! A reader that writes without end is cut off at the cap while the parent reads:
//! the parent's memory does not grow with what the child writes. Alone in its own
//! test binary, so the peak memory measured is this test's.

#![cfg(target_os = "linux")]

use std::time::{Duration, Instant};

use mandate_extract::{Format, Isolated, Limits, Stopped, TEXT_MAX};

/// The process's peak resident memory (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number");
    kib * 1024
}

#[test]
fn a_reader_that_floods_its_answer_is_killed_and_not_read_further() {
    // `yes` writes gigabytes a second; unchecked, 20 s of it would not fit in memory.
    let flood = Isolated::new("/bin/sh")
        .with_args([
            "-c",
            "exec yes 'the same line of text, over and over'",
            "sh",
        ])
        .with_limits(Limits {
            timeout: Duration::from_secs(20),
            ..Limits::default()
        });
    let before = peak_rss();
    let started = Instant::now();
    assert_eq!(
        flood.run(Format::Pdf, b"%PDF-1.4"),
        Err(Stopped::TooMuchText)
    );
    let took = started.elapsed();
    let grew = peak_rss().saturating_sub(before);
    // Stopped at the cap, not at the timeout.
    assert!(took < Duration::from_secs(10), "{took:?}");
    // At most the cap and the buffer's growth, never what was written.
    assert!(
        grew < 4 * TEXT_MAX as u64,
        "peak memory grew by {grew} bytes (cap {TEXT_MAX})"
    );
    let why = match flood.extract("f.pdf", b"%PDF-1.4") {
        mandate_extract::Extraction::Failed(why) => why,
        other => panic!("{other:?}"),
    };
    assert!(why.contains("more text than Mandate keeps"), "{why}");
}
